// SPDX-License-Identifier: Apache-2.0
// Which way a series is going, over a recent window: the results of the last
// three years before the latest (at least the last two results), so an old
// value does not speak for today ("up since 1999"). Only exact numeric values
// in one unit count; "stable" when the change is under 5% of the range's width
// (or, without a two-sided range, of the first value), or nothing at the
// precision the test is reported in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "chartlock/summary.hpp"

namespace chartlock::summary {

inline constexpr double kStableFraction = 0.05;
inline constexpr int kTrendWindowMonths = 36;

struct TrendPoint {
  std::string date;
  double value = 0;
};

// Points oldest first. `range` is the latest range, for the threshold;
// `decimals` the reported precision (-1: not known).
Trend trend_of(const std::vector<TrendPoint>& points, const RangeUsed& range, int decimals = -1);

}  // namespace chartlock::summary
