// Small text helpers for plain-language output.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "chartlock/record.hpp"
#include "chartlock/summary.hpp"

namespace chartlock::summary {

// A code's display without SNOMED CT's semantic tag: "Anemia (disorder)" → "Anemia".
std::string clean_display(std::string_view display);

// The best label for a concept, cleaned: text, else the preferred display, else the code.
std::string concept_label(const CodeableConcept& c, const std::vector<std::string>& preferred = {});

// "a", "a and b", "a, b and c".
std::string join_words(const std::vector<std::string>& words);

std::string lower_first(std::string s);
std::string upper_first(std::string s);

// "/path/to/provider-1.json" → "provider-1.json".
std::string base_name(std::string_view path);

// A UCUM unit as people write it: "mm[Hg]" → "mmHg", "10*3/uL" → "x10^3/µL",
// "{score}" → "". Display only; JSON keeps the code.
std::string unit_text(const std::string& ucum);

// "180 mg/dL", "7.2 %", "Negative".
std::string value_text(const HistoryPoint& p);

// "70 to 99 mg/dL", "99 mg/dL or less", "60 or more"; "" without bounds.
std::string range_text(const RangeUsed& r);

}  // namespace chartlock::summary
