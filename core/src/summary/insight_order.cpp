// SPDX-License-Identifier: Apache-2.0
// The order insights are read in, which is their ranking: readers show the
// first few and the rest on request.
#include <algorithm>

#include "summary/insights.hpp"

namespace chartlock::summary {

void order_insights(std::vector<Insight>& insights, const std::optional<CivilDate>& today) {
  const std::optional<CivilDate> recent_from =
      today ? std::optional<CivilDate>(add_months(*today, -12 * kOldResultYears)) : std::nullopt;
  auto old = [&](const Insight& i) {
    if (!recent_from || i.evidence.empty()) return false;
    std::string newest;
    for (const EvidenceRef& e : i.evidence) newest = std::max(newest, e.date);
    const std::optional<CivilDate> d = parse_date(newest);
    return d && *d < *recent_from;
  };
  auto rank = [&](const Insight& i) {
    int severity = i.severity == "urgent" ? 0 : i.severity == "important" ? 1 : 2;
    static const char* const kKinds[] = {"medication-allergy-conflict", "worsening-trend", "out-of-range",
                                         "gap-in-monitoring", "overdue-immunization", "due-screening"};
    int kind = 6;
    for (int k = 0; k < 6; ++k) {
      if (i.kind == kKinds[k]) kind = k;
    }
    return severity * 100 + (old(i) ? 10 : 0) + kind;
  };
  std::stable_sort(insights.begin(), insights.end(),
                   [&](const Insight& a, const Insight& b) { return rank(a) < rank(b); });
}

}  // namespace chartlock::summary
