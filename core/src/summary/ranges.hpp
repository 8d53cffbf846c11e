// SPDX-License-Identifier: Apache-2.0
// Which range a value is judged against: the report's own referenceRange when
// it gives one usable range, else the knowledge base's adult range.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "chartlock/knowledge.hpp"
#include "chartlock/record.hpp"

namespace chartlock::summary {

struct RangeChoice {
  std::optional<knowledge::Bounds> bounds;  // in the series unit
  std::string text;   // the report's range text, when it gave one
  std::string note;   // why the report's range was not used
};

// The report's range in `series_unit`. Keeps entries meant as the normal range
// (no type, or type "normal"), for this patient's sex when appliesTo says;
// more than one different range, a bound in a unit that does not convert, or
// low above high: none is used, and the note says why.
RangeChoice report_range(const std::vector<ReferenceRange>& ranges, const std::string& value_unit,
                         const std::string& series_unit, const units::Analyte& analyte,
                         const std::map<std::string, std::string>& aliases, const std::string& gender);

// The canonical unit of a quantity, after the test's own aliases.
std::string series_unit_of(const Quantity& q, const std::map<std::string, std::string>& aliases);

// series_unit_of for one series' values, each unit as written worked out once:
// a series' values and ranges are nearly all in one or two units, and the
// canonical form and alias lookup cost more than the rest of a value.
class UnitReader {
 public:
  explicit UnitReader(const std::map<std::string, std::string>& aliases) : aliases_(aliases) {}
  // Valid until the next call.
  const std::string& of(const Quantity& q);

 private:
  const std::map<std::string, std::string>& aliases_;
  std::vector<std::pair<std::string, std::string>> seen_;  // (unit as written, series unit)
};

// report_range, with the units of the bounds read through the series' reader.
RangeChoice report_range(const std::vector<ReferenceRange>& ranges, const std::string& value_unit,
                         const std::string& series_unit, const units::Analyte& analyte, UnitReader& units,
                         const std::string& gender);

}  // namespace chartlock::summary
