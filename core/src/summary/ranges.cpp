// SPDX-License-Identifier: Apache-2.0
#include "summary/ranges.hpp"

#include <cctype>
#include <cstdlib>

#include "chartlock/units.hpp"

namespace chartlock::summary {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool mentions(const std::vector<CodeableConcept>& list, const char* word) {
  for (const CodeableConcept& c : list) {
    std::string all = lower(c.text);
    for (const Coding& coding : c.codings) all += " " + lower(coding.code) + " " + lower(coding.display);
    // "female" contains "male": match words, not substrings.
    std::size_t at = all.find(word);
    while (at != std::string::npos) {
      const bool left = at == 0 || !std::isalpha(static_cast<unsigned char>(all[at - 1]));
      const std::size_t end = at + std::string(word).size();
      const bool right = end >= all.size() || !std::isalpha(static_cast<unsigned char>(all[end]));
      if (left && right) return true;
      at = all.find(word, at + 1);
    }
  }
  return false;
}

bool is_normal_type(const CodeableConcept& type) {
  if (type.empty()) return true;
  for (const Coding& c : type.codings) {
    if (c.code == "normal") return true;
  }
  return lower(type.text) == "normal" || lower(type.text) == "normal range";
}

// "70-99", "<200", "< 5.0", ">60", "≥ 60" → bounds. Anything else: nullopt.
std::optional<knowledge::Bounds> parse_range_text(const std::string& text) {
  std::string s;
  for (char c : text) {
    if (c != ' ') s += c;
  }
  auto number = [](const std::string& t) -> std::optional<double> {
    if (t.empty()) return std::nullopt;
    for (char c : t) {
      if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return std::nullopt;
    }
    return std::strtod(t.c_str(), nullptr);
  };
  knowledge::Bounds b;
  if (s.rfind("<=", 0) == 0 || s.rfind("\xE2\x89\xA4", 0) == 0) {  // <= or ≤
    b.high = number(s.substr(s[0] == '<' ? 2 : 3));
  } else if (s.rfind('<', 0) == 0) {
    b.high = number(s.substr(1));  // "<200": 200 is outside, but labs report at whole units
  } else if (s.rfind(">=", 0) == 0 || s.rfind("\xE2\x89\xA5", 0) == 0) {  // >= or ≥
    b.low = number(s.substr(s[0] == '>' ? 2 : 3));
  } else if (s.rfind('>', 0) == 0) {
    b.low = number(s.substr(1));
  } else if (const std::size_t dash = s.find('-', 1); dash != std::string::npos) {
    b.low = number(s.substr(0, dash));
    b.high = number(s.substr(dash + 1));
    if (!b.low || !b.high) return std::nullopt;
  }
  if (b.empty()) return std::nullopt;
  return b;
}

}  // namespace

std::string series_unit_of(const Quantity& q, const std::map<std::string, std::string>& aliases) {
  std::string unit = units::canonical(q.unit_key());
  if (auto it = aliases.find(unit); it != aliases.end()) unit = it->second;
  return unit;
}

const std::string& UnitReader::of(const Quantity& q) {
  const std::string& written = q.unit_key();
  for (const auto& [key, unit] : seen_) {
    if (key == written) return unit;
  }
  seen_.emplace_back(written, series_unit_of(q, aliases_));
  return seen_.back().second;
}

RangeChoice report_range(const std::vector<ReferenceRange>& ranges, const std::string& value_unit,
                         const std::string& series_unit, const units::Analyte& analyte,
                         const std::map<std::string, std::string>& aliases, const std::string& gender) {
  UnitReader units(aliases);
  return report_range(ranges, value_unit, series_unit, analyte, units, gender);
}

RangeChoice report_range(const std::vector<ReferenceRange>& ranges, const std::string& value_unit,
                         const std::string& series_unit, const units::Analyte& analyte, UnitReader& units,
                         const std::string& gender) {
  RangeChoice out;
  std::vector<knowledge::Bounds> found;
  std::string text;
  for (const ReferenceRange& r : ranges) {
    if (!is_normal_type(r.type)) continue;
    const bool female = mentions(r.appliesTo, "female");
    const bool male = mentions(r.appliesTo, "male");
    if ((female && !male && gender != "female") || (male && !female && gender != "male")) continue;
    knowledge::Bounds b;
    bool ok = true;
    auto bound = [&](const std::optional<Quantity>& q, std::optional<double>& into) {
      if (!q || !q->value) return;
      // A bound without a unit is in the value's unit.
      const std::string& unit = q->unit_key().empty() ? value_unit : units.of(*q);
      const auto v = units::convert(*q->value, unit, series_unit, analyte);
      if (!v) ok = false;
      else into = *v;
    };
    bound(r.low, b.low);
    bound(r.high, b.high);
    if (!ok) {
      out.note = "The report's range is in a unit that cannot be converted, so it was not used.";
      return out;
    }
    if (b.empty() && !r.text.empty()) {
      // Range text is in the value's unit.
      if (auto parsed = parse_range_text(r.text)) {
        for (std::optional<double>* side : {&parsed->low, &parsed->high}) {
          if (*side) {
            const auto v = units::convert(**side, value_unit, series_unit, analyte);
            if (!v) ok = false;
            else *side = *v;
          }
        }
        if (ok) b = *parsed;
      }
    }
    if (b.empty()) continue;
    if (b.low && b.high && *b.low > *b.high) {
      out.note = "The report's range has its low end above its high end, so it was not used.";
      return out;
    }
    found.push_back(b);
    if (text.empty()) text = r.text;
  }
  for (std::size_t i = 1; i < found.size(); ++i) {
    if (found[i].low != found[0].low || found[i].high != found[0].high) {
      out.note = "The report gave more than one range for this result, so none of them was used.";
      return out;
    }
  }
  if (!found.empty()) {
    out.bounds = found.front();
    out.text = text;
  }
  return out;
}

}  // namespace chartlock::summary
