// SPDX-License-Identifier: Apache-2.0
// The kinds of record a patient shares or keeps back, one id each. The
// consent engine (chartlock/consent.hpp) owns which items fall in which
// category; the summary of a share uses the same ids to say what was not
// shared. The ids are the JSON spellings (docs/consent.md).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

namespace chartlock {

enum class Category : std::uint8_t {
  patient,            // name, sex and date of birth
  conditions,
  medications,
  allergies,
  labs,               // Observation category laboratory
  vitals,             // Observation category vital-signs
  immunizations,
  procedures,
  encounters,         // visits
  reports,            // DiagnosticReport
  documents,          // DocumentReference: clinical notes
  carePlans,
  goals,
  socialHistory,      // Observation category social-history
  otherObservations,  // any other Observation (surveys, exams…)
};

using Categories = std::set<Category>;

// Every category, in the order above.
const std::vector<Category>& all_categories();
// "labs", "carePlans"…
std::string_view category_id(Category c);
// nullopt for an unknown id.
std::optional<Category> category_from_id(std::string_view id);
// The category in plain words, lower case: "lab results", "visits",
// "personal details" — what the consent screen and a share's summary call it.
std::string_view category_words(Category c);

}  // namespace chartlock
