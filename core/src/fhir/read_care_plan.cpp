// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_readers.hpp"

namespace chartlock::fhir {

bool read_care_plan(ResourceInput& in) {
  CarePlan c;
  static_cast<ItemBase&>(c) = std::move(in.base);
  c.status = view_or_empty(in.d, in.resource, "status", in.at);
  if (c.status.empty()) in.missing("CarePlan", "status");
  c.intent = view_or_empty(in.d, in.resource, "intent", in.at);
  c.category = get_concepts(in.d, in.resource, "category", in.at);
  c.title = string_or_empty(in.d, in.resource, "title", in.at);
  c.description = string_or_empty(in.d, in.resource, "description", in.at);
  c.period = get_period(in.d, in.resource, "period", in.at);
  for_each_object(in.d, in.resource, "activity", in.at, [&](const Fields& a, const Path& p) {
    if (auto detail = get_fields(in.d, a, "detail", p)) {
      CodeableConcept code = get_concept(in.d, *detail, "code", p / "detail");
      if (!code.empty()) c.activities.push_back(std::move(code));
    }
  });
  in.ref_field(Kind::care_plan, RefSlot::encounter, "encounter");
  in.draft.carePlans.push_back(std::move(c));
  return true;
}

}  // namespace chartlock::fhir
