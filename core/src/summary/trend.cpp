// SPDX-License-Identifier: Apache-2.0
#include "summary/trend.hpp"

#include <cmath>

#include "summary/civil_date.hpp"
#include "summary/number_text.hpp"

namespace chartlock::summary {
namespace {

// The first point of the window: within kTrendWindowMonths of the latest,
// and never fewer than two points.
std::size_t window_start(const std::vector<TrendPoint>& points) {
  std::size_t start = points.size() - 2;
  const std::optional<CivilDate> latest = parse_date(points.back().date);
  if (!latest) return 0;
  const CivilDate from = add_months(*latest, -kTrendWindowMonths);
  while (start > 0) {
    const std::optional<CivilDate> d = parse_date(points[start - 1].date);
    if (!d || *d < from) break;
    --start;
  }
  return start;
}

}  // namespace

Trend trend_of(const std::vector<TrendPoint>& all, const RangeUsed& range, int decimals) {
  Trend t;
  if (all.size() < 2) {
    t.points = static_cast<int>(all.size());
    t.note = all.empty() ? "not enough data: no exact numeric values" : "not enough data: one value";
    if (!all.empty()) t.since = all.front().date;
    return t;
  }
  const std::vector<TrendPoint> points(all.begin() + static_cast<std::ptrdiff_t>(window_start(all)), all.end());
  t.points = static_cast<int>(points.size());
  const double first = points.front().value, last = points.back().value;
  const double change = decimals >= 0 ? round_decimals(last - first, decimals) : round_significant(last - first, 4);
  double scale = 0;
  if (range.low && range.high && *range.high > *range.low) scale = *range.high - *range.low;
  else scale = std::fabs(first);
  const bool stable = change == 0 || (scale > 0 && std::fabs(change) < kStableFraction * scale);
  t.direction = stable ? "stable" : (change > 0 ? "up" : "down");
  t.change = change;
  t.since = points.front().date;
  return t;
}

}  // namespace chartlock::summary
