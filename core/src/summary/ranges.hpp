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

}  // namespace chartlock::summary
