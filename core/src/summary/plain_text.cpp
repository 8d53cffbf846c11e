#include "summary/plain_text.hpp"

#include <cctype>

#include "summary/number_text.hpp"

namespace chartlock::summary {

std::string clean_display(std::string_view display) {
  static const char* const kTags[] = {"(disorder)", "(finding)", "(procedure)", "(situation)",
                                      "(regime/therapy)", "(observable entity)", "(morphologic abnormality)",
                                      "(qualifier value)", "(substance)", "(product)", "(event)"};
  std::string s(display);
  for (const char* tag : kTags) {
    const std::string t(tag);
    if (s.size() > t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0) {
      s.erase(s.size() - t.size());
      while (!s.empty() && s.back() == ' ') s.pop_back();
      break;
    }
  }
  return s;
}

std::string concept_label(const CodeableConcept& c, const std::vector<std::string>& preferred) {
  if (!c.text.empty()) return clean_display(c.text);
  const Coding* coding = c.primary(preferred);
  if (!coding) return {};
  return coding->display.empty() ? coding->code : clean_display(coding->display);
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " and " : ", ";
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

std::string base_name(std::string_view path) {
  const std::size_t slash = path.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string unit_text(const std::string& ucum) {
  static const struct {
    const char* code;
    const char* text;
  } kUnits[] = {{"mm[Hg]", "mmHg"},       {"10*3/uL", "x10^3/µL"}, {"10*6/uL", "x10^6/µL"}, {"10*9/L", "x10^9/L"},
                {"10*12/L", "x10^12/L"},  {"mL/min/{1.73_m2}", "mL/min/1.73m²"}, {"Cel", "°C"}, {"[degF]", "°F"},
                {"[lb_av]", "lb"},        {"[in_i]", "in"},        {"kg/m2", "kg/m²"},      {"m[IU]/L", "mIU/L"},
                {"u[IU]/mL", "µIU/mL"},   {"m[IU]/mL", "mIU/mL"},  {"[IU]/L", "IU/L"},      {"ug/dL", "µg/dL"},
                {"ug/L", "µg/L"},         {"ug/mL", "µg/mL"},      {"umol/L", "µmol/L"},    {"meq/L", "mEq/L"},
                {"ug/mL{FEU}", "µg/mL FEU"}, {"/min", "/min"},     {"{score}", ""},          {"{ratio}", ""},
                {"{SG}", ""},              {"[pH]", ""},            {"{INR}", ""},            {"1", ""}};
  for (const auto& u : kUnits) {
    if (ucum == u.code) return u.text;
  }
  // Other annotations in braces ("{T-score}") are labels, not units.
  if (ucum.size() > 1 && ucum.front() == '{' && ucum.back() == '}') return {};
  return ucum;
}

std::string value_text(const HistoryPoint& p) {
  if (!p.value) return p.text;
  std::string out = p.comparator + display_number(*p.value);
  const std::string unit = unit_text(p.unit);
  if (!unit.empty()) out += (unit == "%" ? "" : " ") + unit;
  return out;
}

std::string range_text(const RangeUsed& r) {
  const std::string unit = unit_text(r.unit);
  const std::string suffix = unit.empty() ? "" : (unit == "%" ? unit : " " + unit);
  if (r.low && r.high) return display_number(*r.low) + " to " + display_number(*r.high) + suffix;
  if (r.high) return display_number(*r.high) + suffix + " or less";
  if (r.low) return display_number(*r.low) + suffix + " or more";
  return {};
}

}  // namespace chartlock::summary
