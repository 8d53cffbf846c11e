// SPDX-License-Identifier: Apache-2.0
#include "summary/plain_text.hpp"

#include <cctype>
#include <vector>

#include "chartlock/code_systems.hpp"
#include "summary/civil_date.hpp"
#include "summary/number_text.hpp"

namespace chartlock::summary {

std::string clean_display(std::string_view display) {
  // Views, not a string per tag (some are longer than a short string holds):
  // every concept's label passes here.
  static constexpr std::string_view kTags[] = {"(disorder)", "(finding)", "(procedure)", "(situation)",
                                               "(regime/therapy)", "(observable entity)", "(morphologic abnormality)",
                                               "(qualifier value)", "(substance)", "(product)", "(event)"};
  if (!display.empty() && display.back() == ')') {
    for (std::string_view t : kTags) {
      if (display.size() > t.size() && display.substr(display.size() - t.size()) == t) {
        display.remove_suffix(t.size());
        while (!display.empty() && display.back() == ' ') display.remove_suffix(1);
        break;
      }
    }
  }
  return std::string(display);
}

std::string concept_label(const CodeableConcept& c, const std::vector<std::string>& preferred) {
  if (!c.text.empty()) return clean_display(c.text);
  const Coding* coding = c.primary(preferred);
  if (!coding) return {};
  return coding->display.empty() ? coding->code.str() : clean_display(coding->display);
}

namespace prefer {
namespace {
const std::vector<std::string>& list(std::size_t i) {
  static const std::vector<std::string> lists[] = {{systems::loinc}, {systems::snomed}, {systems::rxnorm}, {systems::cvx}};
  return lists[i];
}
}  // namespace
const std::vector<std::string>& loinc() { return list(0); }
const std::vector<std::string>& snomed() { return list(1); }
const std::vector<std::string>& rxnorm() { return list(2); }
const std::vector<std::string>& cvx() { return list(3); }
}  // namespace prefer

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    out += list_separator(i, words.size());
    out += words[i];
  }
  return out;
}

std::string lower_first(std::string s) {
  // Only when the second letter is lower case too: "HDL" and "eGFR" stay as they are.
  if (s.size() > 1 && std::isupper(static_cast<unsigned char>(s[0])) &&
      std::islower(static_cast<unsigned char>(s[1]))) {
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  }
  return s;
}

std::string upper_first(std::string s) {
  // "eGFR" keeps its case: a lower-case letter before a capital is part of a name.
  if (s.size() > 1 && std::isupper(static_cast<unsigned char>(s[1]))) return s;
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string base_name(std::string_view path) { return std::string(base_name_view(path)); }

std::string_view base_name_view(std::string_view path) {
  // A loop, not find_last_of: that searched the two separators for every
  // byte, and every result's sources are named this way.
  std::size_t start = path.size();
  while (start > 0 && path[start - 1] != '/' && path[start - 1] != '\\') --start;
  return path.substr(start);
}

namespace {

// "10*3" → "thousand"; "" when `part` is not a power of ten.
std::string power_words(const std::string& part) {
  if (part.size() < 4 || (part.compare(0, 3, "10*") != 0 && part.compare(0, 3, "10^") != 0)) return {};
  const std::string exponent = part.substr(3);
  if (exponent == "3") return "thousand";
  if (exponent == "6") return "million";
  if (exponent == "9") return "billion";
  if (exponent == "12") return "trillion";
  return "times ten to the " + exponent;
}

// One unit term without UCUM's notation: brackets and their suffixes go
// ("[lb_av]" → "lb", "[IU]" → "IU"), a micro prefix becomes µ.
std::string term_text(std::string t) {
  std::string out;
  bool in_bracket = false, skipping = false;
  for (char c : t) {
    if (c == '[') in_bracket = true, skipping = false;
    else if (c == ']') in_bracket = false, skipping = false;
    else if (in_bracket && c == '_') skipping = true;
    else if (!skipping) out += c;
  }
  static const char* const kMicro[] = {"ug", "umol", "uL", "uIU", "um", "ueq"};
  for (const char* m : kMicro) {
    const std::string prefix(m);
    if (out.compare(0, prefix.size(), prefix) == 0) return "µ" + out.substr(1);
  }
  if (out == "meq") return "mEq";
  return out;
}

}  // namespace

std::string unit_text(const std::string& ucum) {
  static const struct {
    const char* code;
    const char* text;
  } kUnits[] = {{"mm[Hg]", "mmHg"},          {"mL/min/{1.73_m2}", "mL/min per 1.73 m²"},
                {"Cel", "°C"},               {"[degF]", "°F"},
                {"kg/m2", "kg/m²"},          {"meq/L", "mEq/L"},
                {"ug/mL{FEU}", "µg/mL FEU"}, {"/min", "per minute"},
                {"mm/h", "mm per hour"},     {"s", "seconds"},
                {"min", "minutes"},          {"h", "hours"},
                {"d", "days"},               {"wk", "weeks"},
                {"mo", "months"},            {"a", "years"},
                {"/[HPF]", "per high-power field"}, {"/[LPF]", "per low-power field"},
                {"[pH]", ""},                {"1", ""}};
  for (const auto& u : kUnits) {
    if (ucum == u.code) return u.text;
  }
  // Annotations in braces ("{score}", "{1.73_m2}") are labels, not units.
  std::string plain;
  int depth = 0;
  for (char c : ucum) {
    if (c == '{') ++depth;
    else if (c == '}') depth = depth > 0 ? depth - 1 : 0;
    else if (depth == 0) plain += c;
  }
  while (!plain.empty() && (plain.back() == '/' || plain.back() == '.' || plain.back() == ' ')) plain.pop_back();
  if (plain.empty()) return {};
  // Terms split at "/": a leading power of ten is a count ("thousand per microliter").
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = plain.find('/', start);
    parts.push_back(plain.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  const std::string count = power_words(parts.front());
  if (!count.empty()) {
    static const struct {
      const char* term;
      const char* words;
    } kPer[] = {{"uL", "microliter"}, {"mL", "milliliter"}, {"L", "liter"}, {"nL", "nanoliter"}, {"g", "gram"}};
    std::string out = count;
    for (std::size_t i = 1; i < parts.size(); ++i) {
      std::string words = term_text(parts[i]);
      for (const auto& p : kPer) {
        if (parts[i] == p.term) words = p.words;
      }
      out += " per " + words;
    }
    return out;
  }
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + term_text(parts[i]);
  // A power of ten further in ("mL/10*3") is written out too.
  for (const char* sign : {"10*", "10^"}) {
    for (std::size_t at = out.find(sign); at != std::string::npos; at = out.find(sign)) {
      std::size_t e = at + 3;
      while (e < out.size() && std::isdigit(static_cast<unsigned char>(out[e]))) ++e;
      const std::string words = power_words(out.substr(at, e - at));
      out.replace(at, e - at, words.empty() ? "times ten to the " + out.substr(at + 3, e - at - 3) : words);
    }
  }
  return out;
}

std::string plain_test_name(const std::string& name) {
  std::string out = name;
  // "Component [Property] in System by Method": the component is the test.
  static const char* const kCuts[] = {" [", " in Serum", " in Plasma", " in Blood", " in Urine", " in Body fluid",
                                      " in Capillary blood", " in Venous blood", " in Arterial blood", " by "};
  for (const char* cut : kCuts) {
    const std::size_t at = out.find(cut);
    if (at != std::string::npos && at > 0) out.erase(at);
  }
  // "Lipid 1996 panel - Serum or Plasma": a panel's specimen and LOINC's version year.
  if (const std::size_t dash = out.find(" - "); dash != std::string::npos && dash > 0) out.erase(dash);
  for (std::size_t i = 0; i + 5 < out.size(); ++i) {
    const bool year = out[i] == ' ' && std::isdigit(static_cast<unsigned char>(out[i + 1])) &&
                      std::isdigit(static_cast<unsigned char>(out[i + 2])) &&
                      std::isdigit(static_cast<unsigned char>(out[i + 3])) &&
                      std::isdigit(static_cast<unsigned char>(out[i + 4])) && out[i + 5] == ' ' &&
                      out.compare(i + 6, 5, "panel") == 0;
    if (year) {
      out.erase(i, 5);
      break;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out.empty() ? name : out;
}

namespace {

// "5.4 mg/dL", "6.0%": the unit's words after a number already in `out`.
void append_unit(std::string& out, const std::string& unit) {
  if (unit.empty()) return;
  if (unit != "%") out += ' ';
  out += unit;
}

void add_unit(TextPieces& out, const std::string& unit) {
  if (unit.empty()) return;
  if (unit != "%") out.add(" ");
  out.add(unit);
}

std::string with_unit(std::string number, const std::string& unit) {
  append_unit(number, unit);
  return number;
}

}  // namespace

std::string TextPieces::str() const {
  std::size_t size = 0;
  for (std::size_t i = 0; i < count; ++i) size += part[i].size();
  std::string out;
  out.reserve(size);
  for (std::size_t i = 0; i < count; ++i) out += part[i];
  return out;
}

std::string value_text(const HistoryPoint& p) {
  if (!p.value) return p.text;
  return value_text(p, unit_text(p.unit));
}

std::string value_text(const HistoryPoint& p, const std::string& unit_words) {
  if (!p.value) return p.text;
  TextPieces pieces;
  value_pieces(p, unit_words, pieces);
  return pieces.str();
}

void value_pieces(const HistoryPoint& p, const std::string& unit_words, TextPieces& out) {
  if (!p.value) {
    out.add(p.text);
    return;
  }
  out.add(p.comparator);
  out.add({out.numbers[0], static_cast<std::size_t>(write_display_number(out.numbers[0], *p.value, p.decimals) -
                                                    out.numbers[0])});
  add_unit(out, unit_words);
}

std::string range_text(const RangeUsed& r, int decimals) {
  if (!r.low && !r.high) return {};
  return range_text(r, decimals, unit_text(r.unit));
}

std::string range_text(const RangeUsed& r, int decimals, const std::string& unit) {
  TextPieces pieces;
  range_pieces(r, decimals, unit, pieces);
  return pieces.str();
}

void range_pieces(const RangeUsed& r, int decimals, const std::string& unit, TextPieces& out) {
  // At the test's precision without padding ("80 to 100 fL", "4.5 to 11"):
  // a range is written as its source writes it.
  std::size_t numbers = 0;
  auto bound = [&](double v) {
    char* at = out.numbers[numbers++];
    char* end = decimals < 0 ? write_display_number(at, v) : write_number(at, round_decimals(v, decimals));
    out.add({at, static_cast<std::size_t>(end - at)});
  };
  if (r.low && r.high) {
    bound(*r.low);
    out.add(" to ");
    bound(*r.high);
    add_unit(out, unit);
  } else if (r.high || r.low) {
    bound(r.high ? *r.high : *r.low);
    add_unit(out, unit);
    out.add(r.high ? " or less" : " or more");
  }
}

std::string trend_text(const Trend& t, const std::string& unit, int decimals, DateStyle style) {
  if (t.direction.empty()) return t.points <= 1 ? "not enough data" : "not known";
  std::string out = t.direction;
  if (t.change && t.direction != "stable") {
    out += " " + with_unit(display_number(*t.change < 0 ? -*t.change : *t.change, decimals), unit_text(unit));
  }
  return out + " since " + day_text(t.since, style) + " (" + std::to_string(t.points) + " results)";
}

std::string pressure_text(const PressurePoint& p, int decimals) {
  return (p.systolic ? display_number(*p.systolic, decimals) : "?") + "/" +
         (p.diastolic ? display_number(*p.diastolic, decimals) : "?") + " " + unit_text(p.unit.empty() ? "mm[Hg]" : p.unit);
}

std::string flag_text(Flag f, const std::string& basis) { return flag_label(f, basis); }

const char* flag_label(Flag f, std::string_view basis) {
  const bool lab_flag = basis == "interpretation";
  switch (f) {
    case Flag::low: return lab_flag ? "Low, as the lab marked it" : "Low";
    case Flag::high: return lab_flag ? "High, as the lab marked it" : "High";
    case Flag::critical_low: return "Very low";
    case Flag::critical_high: return "Very high";
    case Flag::abnormal: return lab_flag ? "Flagged by the lab" : "Not the usual result";
    case Flag::normal: return lab_flag ? "Normal, as the lab marked it" : basis == "answer" ? "Usual result" : "In range";
    case Flag::unknown: break;
  }
  return "No usual range";
}

}  // namespace chartlock::summary
