// SPDX-License-Identifier: Apache-2.0
// Small text helpers for plain-language output.
#pragma once

#include <cassert>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/record.hpp"
#include "chartlock/summary.hpp"
#include "summary/number_text.hpp"

namespace chartlock::summary {

// A code's display without SNOMED CT's semantic tag: "Anemia (disorder)" → "Anemia".
std::string clean_display(std::string_view display);

// The best label for a concept, cleaned: text, else the preferred display, else the code.
std::string concept_label(const CodeableConcept& c, const std::vector<std::string>& preferred = {});

// One code system as the preferred list concept_label, code_ref and
// CodeableConcept::primary take, made once: a braced list made a vector and
// a heap string for the system's URL at every call (~450 instructions).
namespace prefer {
const std::vector<std::string>& loinc();
const std::vector<std::string>& snomed();
const std::vector<std::string>& rxnorm();
const std::vector<std::string>& cvx();
}  // namespace prefer

// "a", "a and b", "a, b and c".
std::string join_words(const std::vector<std::string>& words);
// What goes before the i-th of `count` items in such a list: nothing, ", ",
// or " and " before the last.
inline const char* list_separator(std::size_t i, std::size_t count) {
  return i == 0 ? "" : i + 1 == count ? " and " : ", ";
}

std::string lower_first(std::string s);
std::string upper_first(std::string s);

// "/path/to/provider-1.json" → "provider-1.json".
std::string base_name(std::string_view path);
// The same, a view into `path`.
std::string_view base_name_view(std::string_view path);

// A UCUM unit as people read it: "mm[Hg]" → "mmHg", "10*3/uL" → "thousand
// per microliter", "mL/min/{1.73_m2}" → "mL/min per 1.73 m²", "{score}" → "".
// Never a UCUM code's brackets, braces or powers. Display only; JSON keeps the code.
std::string unit_text(const std::string& ucum);

// A test's name as people read it: a LOINC long name loses its property,
// specimen and method ("Thyrotropin [Units/volume] in Serum or Plasma" →
// "Thyrotropin", "Lipid 1996 panel - Serum or Plasma" → "Lipid panel");
// other names come back as they are.
std::string plain_test_name(const std::string& name);

// A text made of a few pieces, the numbers among them written into `numbers`:
// the summary's JSON text copies the pieces straight into its buffer, without
// a string per display. Not copyable (the pieces may point into it).
struct TextPieces {
  TextPieces() = default;
  TextPieces(const TextPieces&) = delete;
  TextPieces& operator=(const TextPieces&) = delete;

  // The most any display takes: range_pieces' "70 to 99 mg/dL" is five.
  static constexpr std::size_t kMaxParts = 5;
  std::string_view part[kMaxParts];
  std::size_t count = 0;
  char numbers[2][kNumberRoom];

  void add(std::string_view piece) {
    assert(count < kMaxParts);
    part[count++] = piece;
  }
  bool empty() const {
    for (std::size_t i = 0; i < count; ++i) {
      if (!part[i].empty()) return false;
    }
    return true;
  }
  std::string str() const;
};

// "180 mg/dL", "7.2%", "Negative", at the point's precision.
std::string value_text(const HistoryPoint& p);
// The same, with unit_text(p.unit) already worked out (once per series).
std::string value_text(const HistoryPoint& p, const std::string& unit_words);
// The same as pieces (they point into `p`, `unit_words` and `out`).
void value_pieces(const HistoryPoint& p, const std::string& unit_words, TextPieces& out);

// "70 to 99 mg/dL", "99 mg/dL or less", "60 or more"; "" without bounds.
std::string range_text(const RangeUsed& r, int decimals = -1);
// The same, with unit_text(r.unit) already worked out.
std::string range_text(const RangeUsed& r, int decimals, const std::string& unit_words);
// The same as pieces (they point into `unit_words` and `out`).
void range_pieces(const RangeUsed& r, int decimals, const std::string& unit_words, TextPieces& out);

// "up 12 mg/dL since 2023-06-13 (4 results)", "stable since …", or why there is no trend.
std::string trend_text(const Trend& t, const std::string& unit, int decimals = -1, DateStyle style = DateStyle::iso);

// A blood pressure reading: "128/82 mmHg".
std::string pressure_text(const PressurePoint& p, int decimals = 0);

// The flag as the patient reads it next to a result: "In range", "High", …;
// a result judged by the lab's own flag alone says so ("Normal, as the lab
// marked it"), never "In range" without a range.
std::string flag_text(Flag f, const std::string& basis);
// The same words, as the literal they are.
const char* flag_label(Flag f, std::string_view basis);

}  // namespace chartlock::summary
