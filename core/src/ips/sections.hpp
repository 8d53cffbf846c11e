// SPDX-License-Identifier: Apache-2.0
// The IPS sections Chartlock writes, in the order the IPS Composition
// profile lists them, each with its LOINC code, the consent category its
// entries come from, and how it reads when it has nothing to list.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chartlock/category.hpp"

namespace chartlock::ips {

enum class SectionId { problems, allergies, medications, immunizations, results, procedures, pastProblems, vitalSigns };

struct SectionSpec {
  SectionId id;
  const char* code;     // LOINC
  const char* display;  // LOINC's display, as the IPS IG writes it
  const char* title;
  Category category;    // where its entries come from
  bool required;        // problems, allergies, medications: always written
  const char* noun;     // "problems": for the narrative
};

inline constexpr std::size_t kSectionCount = 8;

// Every section, in IPS order (a SectionId is its index).
const std::array<SectionSpec, kSectionCount>& section_specs();

// Why a section lists nothing (list-empty-reason): the patient did not share
// that kind of record, or the records shared hold none.
enum class EmptyReason { withheld, unavailable };

struct SectionContent {
  std::vector<std::string> entries;  // fullUrls, in order
  std::string items;                 // the <li> elements of its entries
  bool partial = false;              // some of this kind were kept back by the patient
};

// Composition.section: title, code, text, and entry or emptyReason.
nlohmann::ordered_json section_json(const SectionSpec& spec, const SectionContent& content, EmptyReason empty);

}  // namespace chartlock::ips
