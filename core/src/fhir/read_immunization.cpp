// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_readers.hpp"

namespace chartlock::fhir {

bool read_immunization(ResourceInput& in) {
  Immunization i;
  i.code = get_concept(in.d, in.resource, "vaccineCode", in.at);
  if (i.code.empty()) {
    in.missing("Immunization", "vaccineCode");
    return false;
  }
  static_cast<ItemBase&>(i) = std::move(in.base);
  i.status = view_or_empty(in.d, in.resource, "status", in.at);
  if (i.status.empty()) in.missing("Immunization", "status");
  TimeChoice when = get_time_choice(in.d, in.resource, "occurrence", in.at);
  i.occurrence = !when.period.start.empty() ? std::move(when.period.start) : ShortText(when.text);
  if (i.occurrence.empty()) in.missing("Immunization", "occurrence[x]");
  in.ref_field(Kind::immunization, RefSlot::encounter, "encounter");
  in.draft.immunizations.push_back(std::move(i));
  return true;
}

}  // namespace chartlock::fhir
