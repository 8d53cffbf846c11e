// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_readers.hpp"

namespace chartlock::fhir {

bool read_condition(ResourceInput& in) {
  Condition c;
  c.code = get_concept(in.d, in.resource, "code", in.at);
  // Condition.code is optional in FHIR, but a condition without one says
  // nothing a patient could read: keep it as a raw resource instead.
  if (c.code.empty()) {
    in.missing("Condition", "code");
    return false;
  }
  static_cast<ItemBase&>(c) = std::move(in.base);
  c.clinicalStatus = get_concept_code(in.d, in.resource, "clinicalStatus", in.at);
  c.verificationStatus = get_concept_code(in.d, in.resource, "verificationStatus", in.at);
  c.category = get_concept_codes(in.d, in.resource, "category", in.at);
  TimeChoice onset = get_time_choice(in.d, in.resource, "onset", in.at);
  c.onset = std::move(onset.period.start);
  c.onsetText = std::move(onset.text);
  TimeChoice abatement = get_time_choice(in.d, in.resource, "abatement", in.at);
  c.abatement = !abatement.period.start.empty() ? std::move(abatement.period.start)
                                                : ShortText(abatement.text);
  c.recordedDate = view_date_time(in.d, in.resource, "recordedDate", in.at);
  in.ref_field(Kind::condition, RefSlot::encounter, "encounter");
  in.draft.conditions.push_back(std::move(c));
  return true;
}

}  // namespace chartlock::fhir
