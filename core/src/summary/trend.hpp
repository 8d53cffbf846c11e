// Which way a series is going. Only exact numeric values in one unit count;
// "stable" when the change is under 5% of the range's width (or, without a
// two-sided range, of the first value).
#pragma once

#include <optional>
#include <vector>

#include "chartlock/summary.hpp"

namespace chartlock::summary {

inline constexpr double kStableFraction = 0.05;

struct TrendPoint {
  std::string date;
  double value = 0;
};

// Points oldest first. `range` is the latest range, for the threshold.
Trend trend_of(const std::vector<TrendPoint>& points, const RangeUsed& range);

}  // namespace chartlock::summary
