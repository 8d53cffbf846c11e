// SPDX-License-Identifier: Apache-2.0
#include "summary/flags.hpp"

namespace chartlock::summary {
namespace {

// Comparators read by their bytes: every result is judged twice, and a
// std::string compared with a literal is an out-of-line call each time.
bool is(const std::string& comparator, char sign) { return comparator.size() == 1 && comparator[0] == sign; }
bool is_or_equal(const std::string& comparator, char sign) {
  return comparator.size() == 2 && comparator[0] == sign && comparator[1] == '=';
}

}  // namespace

Flag flag_in_range(double value, const std::string& comparator, const knowledge::Bounds& range) {
  const bool below_bound = is(comparator, '<') || is_or_equal(comparator, '<');  // value is at most `value`
  const bool above_bound = is(comparator, '>') || is_or_equal(comparator, '>');  // value is at least `value`
  if (range.low && (value < *range.low || (is(comparator, '<') && value <= *range.low))) {
    return above_bound ? Flag::unknown : Flag::low;
  }
  if (range.high && (value > *range.high || (is(comparator, '>') && value >= *range.high))) {
    return below_bound ? Flag::unknown : Flag::high;
  }
  // Inside, but a bound written as "<x" or ">x" may still leave the range.
  if (below_bound && range.low) return Flag::unknown;
  if (above_bound && range.high) return Flag::unknown;
  return Flag::normal;
}

std::optional<Flag> critical_flag(double value, const std::string& comparator,
                                  const knowledge::CriticalLimits& limits) {
  const bool at_most = is(comparator, '<') || is_or_equal(comparator, '<');
  const bool at_least = is(comparator, '>') || is_or_equal(comparator, '>');
  if (limits.low && !at_least) {
    if (value < *limits.low || (limits.low_inclusive && value == *limits.low)) return Flag::critical_low;
  }
  if (limits.high && !at_most) {
    if (value > *limits.high || (limits.high_inclusive && value == *limits.high)) return Flag::critical_high;
  }
  return std::nullopt;
}

std::vector<std::string> interpretation_codes(const std::vector<CodeableConcept>& interpretation) {
  std::vector<std::string> out;
  for (const CodeableConcept& c : interpretation) {
    for (const Coding& coding : c.codings) {
      if (!coding.code.empty()) {
        out.push_back(coding.code);
        break;
      }
    }
  }
  return out;
}

std::optional<Flag> flag_from_interpretation(const std::string& code) {
  if (code == "H" || code == "HU" || code == "H>") return Flag::high;
  if (code == "L" || code == "LU" || code == "L<") return Flag::low;
  if (code == "HH") return Flag::critical_high;
  if (code == "LL") return Flag::critical_low;
  if (code == "A" || code == "AA" || code == "POS" || code == "DET" || code == "IND" || code == "E") {
    return Flag::abnormal;
  }
  if (code == "N" || code == "NEG" || code == "ND") return Flag::normal;
  return std::nullopt;
}

bool agrees(Flag flag, const std::string& code) {
  const auto said = flag_from_interpretation(code);
  if (!said) return true;
  auto side = [](Flag f) {
    switch (f) {
      case Flag::high:
      case Flag::critical_high: return 1;
      case Flag::low:
      case Flag::critical_low: return -1;
      case Flag::normal: return 0;
      default: return 2;
    }
  };
  if (*said == Flag::abnormal) return is_outside(flag);
  if (flag == Flag::abnormal) return is_outside(*said);
  return side(flag) == side(*said);
}

std::string interpretation_words(const std::string& code) {
  static const struct {
    const char* code;
    const char* words;
  } kWords[] = {{"H", "high"},       {"HU", "very high"}, {"HH", "critically high"}, {"L", "low"},
                {"LU", "very low"},  {"LL", "critically low"}, {"A", "abnormal"},   {"AA", "critically abnormal"},
                {"N", "normal"},     {"POS", "positive"},  {"NEG", "negative"},     {"DET", "detected"},
                {"ND", "not detected"}, {"IND", "indeterminate"}, {"E", "equivocal"}};
  for (const auto& w : kWords) {
    if (code == w.code) return w.words;
  }
  return code;
}

bool is_outside(Flag flag) { return flag != Flag::normal && flag != Flag::unknown; }

}  // namespace chartlock::summary

namespace chartlock {

const char* to_string(Flag flag) {
  switch (flag) {
    case Flag::low: return "low";
    case Flag::normal: return "normal";
    case Flag::high: return "high";
    case Flag::critical_low: return "critical-low";
    case Flag::critical_high: return "critical-high";
    case Flag::abnormal: return "abnormal";
    case Flag::unknown: return "unknown";
  }
  return "unknown";
}

}  // namespace chartlock
