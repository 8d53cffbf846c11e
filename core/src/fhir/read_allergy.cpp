// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_readers.hpp"

namespace chartlock::fhir {

bool read_allergy(ResourceInput& in) {
  Allergy a;
  a.code = get_concept(in.d, in.resource, "code", in.at);
  // Without a code (or a reaction's substance) nobody can tell what the
  // allergy is to; keep it as a raw resource.
  if (a.code.empty()) {
    for_each_object(in.d, in.resource, "reaction", in.at, [&](const Fields& r, const Path& p) {
      if (a.code.empty()) a.code = get_concept(in.d, r, "substance", p);
    });
  }
  if (a.code.empty()) {
    in.missing("AllergyIntolerance", "code");
    return false;
  }
  static_cast<ItemBase&>(a) = std::move(in.base);
  a.clinicalStatus = get_concept_code(in.d, in.resource, "clinicalStatus", in.at);
  a.verificationStatus = get_concept_code(in.d, in.resource, "verificationStatus", in.at);
  a.type = string_or_empty(in.d, in.resource, "type", in.at);
  a.category = to_interned(get_strings(in.d, in.resource, "category", in.at));
  a.criticality = string_or_empty(in.d, in.resource, "criticality", in.at);
  TimeChoice onset = get_time_choice(in.d, in.resource, "onset", in.at);
  a.onset = !onset.period.start.empty() ? std::move(onset.period.start) : ShortText(onset.text);
  a.recordedDate = view_date_time(in.d, in.resource, "recordedDate", in.at);
  for_each_object(in.d, in.resource, "reaction", in.at, [&](const Fields& r, const Path& p) {
    Allergy::Reaction reaction;
    reaction.manifestations = get_concepts(in.d, r, "manifestation", p);
    reaction.severity = string_or_empty(in.d, r, "severity", p);
    a.reactions.push_back(std::move(reaction));
  });
  in.draft.allergies.push_back(std::move(a));
  return true;
}

}  // namespace chartlock::fhir
