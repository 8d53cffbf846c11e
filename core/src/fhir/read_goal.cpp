// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_readers.hpp"

namespace chartlock::fhir {

bool read_goal(ResourceInput& in) {
  Goal g;
  g.description = get_concept(in.d, in.resource, "description", in.at);
  if (g.description.empty()) {
    in.missing("Goal", "description");
    return false;
  }
  static_cast<ItemBase&>(g) = std::move(in.base);
  g.lifecycleStatus = string_or_empty(in.d, in.resource, "lifecycleStatus", in.at);
  if (g.lifecycleStatus.empty()) in.missing("Goal", "lifecycleStatus");
  if (get_any(in.resource, "startDate")) {
    g.start = get_date_time(in.d, in.resource, "startDate", in.at);
  }
  for_each_object(in.d, in.resource, "target", in.at, [&](const Fields& t, const Path& p) {
    if (get_any(t, "dueDate")) g.targetDates.push_back(get_date_time(in.d, t, "dueDate", p));
  });
  in.draft.goals.push_back(std::move(g));
  return true;
}

}  // namespace chartlock::fhir
