// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_readers.hpp"

namespace chartlock::fhir {

bool read_procedure(ResourceInput& in) {
  Procedure p;
  p.code = get_concept(in.d, in.resource, "code", in.at);
  if (p.code.empty()) {
    in.missing("Procedure", "code");
    return false;
  }
  static_cast<ItemBase&>(p) = std::move(in.base);
  p.status = view_or_empty(in.d, in.resource, "status", in.at);
  if (p.status.empty()) in.missing("Procedure", "status");
  TimeChoice performed = get_time_choice(in.d, in.resource, "performed", in.at);
  p.performed = std::move(performed.period);
  if (p.performed.empty()) p.performed.start = std::move(performed.text);
  in.ref_field(Kind::procedure, RefSlot::encounter, "encounter");
  in.draft.procedures.push_back(std::move(p));
  return true;
}

}  // namespace chartlock::fhir
