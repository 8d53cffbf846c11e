// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_readers.hpp"

namespace chartlock::fhir {

bool read_report(ResourceInput& in) {
  Report r;
  r.code = get_concept(in.d, in.resource, "code", in.at);
  if (r.code.empty()) {
    in.missing("DiagnosticReport", "code");
    return false;
  }
  static_cast<ItemBase&>(r) = std::move(in.base);
  r.status = view_or_empty(in.d, in.resource, "status", in.at);
  if (r.status.empty()) in.missing("DiagnosticReport", "status");
  r.category = get_concept_codes(in.d, in.resource, "category", in.at);
  r.effective = get_time_choice(in.d, in.resource, "effective", in.at).period;
  r.issued = view_date_time(in.d, in.resource, "issued", in.at);
  r.conclusion = string_or_empty(in.d, in.resource, "conclusion", in.at);
  for_each_object(in.d, in.resource, "presentedForm", in.at, [&](const Fields& a, const Path& p) {
    r.presentedForm.push_back(read_attachment(in.d, a, p));
  });
  for_each_reference(in.d, in.resource, "result", in.at, [&](std::string_view ref, const Path& p) {
    in.ref(Kind::report, RefSlot::result, ref, p);
  });
  in.ref_field(Kind::report, RefSlot::encounter, "encounter");
  in.draft.reports.push_back(std::move(r));
  return true;
}

}  // namespace chartlock::fhir
