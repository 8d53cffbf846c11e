// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_readers.hpp"

namespace chartlock::fhir {

bool read_encounter(ResourceInput& in) {
  Encounter e;
  static_cast<ItemBase&>(e) = std::move(in.base);
  e.status = view_or_empty(in.d, in.resource, "status", in.at);
  if (e.status.empty()) in.missing("Encounter", "status");
  e.encounterClass = get_coding(in.d, in.resource, "class", in.at);
  if (e.encounterClass.empty()) in.missing("Encounter", "class");
  std::vector<CodeableConcept> types = get_concepts(in.d, in.resource, "type", in.at);
  if (!types.empty()) e.type = std::move(types.front());
  e.period = get_period(in.d, in.resource, "period", in.at);
  e.reasons = get_concepts(in.d, in.resource, "reasonCode", in.at);
  if (auto sp = get_fields(in.d, in.resource, "serviceProvider", in.at)) {
    const Path at = in.at / "serviceProvider";
    e.serviceProvider = string_or_empty(in.d, *sp, "display", at);
    if (e.serviceProvider.empty()) {
      if (std::string ref = string_or_empty(in.d, *sp, "reference", at); !ref.empty()) {
        in.ref(Kind::encounter, RefSlot::name, ref, at);
      }
    }
  }
  in.draft.encounters.push_back(std::move(e));
  return true;
}

}  // namespace chartlock::fhir
