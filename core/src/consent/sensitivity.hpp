// SPDX-License-Identifier: Apache-2.0
// Which sensitive categories (knowledge/sensitive.json) an item falls in,
// judged on everything it carries: every text (narrative with its markup
// stripped, notes, conclusions, attachments read as notes are — HTML, RTF,
// C-CDA narrative (fhir/resource_scan.cpp, text/note_text.hpp) — contained
// resources), every coding, its security labels, and for a medicine its drug
// classes. Errs toward privacy: one mention anywhere is enough.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/record.hpp"

namespace chartlock::knowledge {
struct SensitiveCategory;
}

namespace chartlock::consent {

// A set of sensitive categories: bit i is knowledge::get().sensitive[i].
using SensitiveSet = std::uint32_t;

// Sensitive categories' terms and codes, compiled for the scan. The scan's
// own are the knowledge base's, compiled once; tests compile made-up
// categories to reach term shapes the knowledge base does not have (a
// one-letter first word, a term that starts with a digit). The categories
// must outlive what is compiled from them: it points into their phrases.
class SensitivityTerms;
std::shared_ptr<const SensitivityTerms> compile_sensitivity_terms(
    const std::vector<knowledge::SensitiveCategory>& categories);

class SensitivityScan {
 public:
  SensitivityScan();  // the knowledge base's categories
  // Bit i of found() is then categories[i]; `terms` must outlive the scan.
  explicit SensitivityScan(const SensitivityTerms& terms) : terms_(&terms) {}
  SensitivityScan(const SensitivityTerms&&) = delete;  // a temporary would dangle

  // Free text, as written (plain text; markup is the caller's to strip).
  void text(std::string_view s);
  void coding(std::string_view system, std::string_view code);
  void concept(const CodeableConcept& c);
  // A medicine: its drug classes count too.
  void medication(const CodeableConcept& c);

  SensitiveSet found() const { return found_; }

 private:
  const SensitivityTerms* terms_;
  SensitiveSet found_ = 0;
};

// The ids of the categories in `set`, in knowledge order.
std::vector<std::string> sensitive_ids(SensitiveSet set);

}  // namespace chartlock::consent
