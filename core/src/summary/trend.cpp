#include "summary/trend.hpp"

#include <cmath>

#include "summary/number_text.hpp"

namespace chartlock::summary {

Trend trend_of(const std::vector<TrendPoint>& points, const RangeUsed& range) {
  Trend t;
  t.points = static_cast<int>(points.size());
  if (points.size() < 2) {
    t.note = points.empty() ? "not enough data: no exact numeric values"
                            : "not enough data: one value";
    if (!points.empty()) t.since = points.front().date;
    return t;
  }
  const double first = points.front().value, last = points.back().value;
  const double change = last - first;
  double scale = 0;
  if (range.low && range.high && *range.high > *range.low) scale = *range.high - *range.low;
  else scale = std::fabs(first);
  const bool stable = scale > 0 ? std::fabs(change) < kStableFraction * scale : change == 0;
  t.direction = stable ? "stable" : (change > 0 ? "up" : "down");
  t.change = round_significant(change, 4);
  t.since = points.front().date;
  return t;
}

}  // namespace chartlock::summary
