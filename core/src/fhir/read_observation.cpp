// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_readers.hpp"

#include <cassert>

namespace chartlock::fhir {

namespace {

// Observation.value[x] / component.value[x].
ObservationValue read_value(Diagnostics& d, const Fields& obj, const Path& at) {
  using K = ObservationValue::Kind;
  ObservationValue v;
  if (auto q = get_object(d, obj, "valueQuantity", at)) {
    v.kind = K::quantity;
    v.quantity = read_quantity(d, *q, at / "valueQuantity");
  } else if (auto cc = get_object(d, obj, "valueCodeableConcept", at)) {
    v.kind = K::concept;
    v.concept = read_codeable_concept(d, *cc, at / "valueCodeableConcept");
  } else if (auto s = get_string(d, obj, "valueString", at)) {
    v.kind = K::string;
    v.text = std::string(*s);
  } else if (auto b = get_bool(d, obj, "valueBoolean", at)) {
    v.kind = K::boolean;
    v.boolean = *b;
    v.text = *b ? "true" : "false";
  } else if (auto i = get_number(d, obj, "valueInteger", at)) {
    v.kind = K::integer;
    v.quantity.value = *i;
  } else if (auto r = get_fields(d, obj, "valueRange", at)) {
    v.kind = K::range;
    const Path p = at / "valueRange";
    if (auto low = get_quantity(d, *r, "low", p)) v.quantity = *low;
    v.high = get_quantity(d, *r, "high", p);
  } else if (auto ratio = get_fields(d, obj, "valueRatio", at)) {
    v.kind = K::ratio;
    const Path p = at / "valueRatio";
    if (auto n = get_quantity(d, *ratio, "numerator", p)) v.quantity = *n;
    v.high = get_quantity(d, *ratio, "denominator", p);
  } else if (auto period = get_object(d, obj, "valuePeriod", at)) {
    v.kind = K::period;
    Period pr = read_period(d, *period, at / "valuePeriod");
    v.text = pr.start + "/" + pr.end;
  } else if (auto t = get_string(d, obj, "valueTime", at)) {
    v.kind = K::time;
    v.text = std::string(*t);
  } else if (get_any(obj, "valueDateTime")) {
    v.kind = K::date_time;
    v.text = get_date_time(d, obj, "valueDateTime", at);
  } else if (get_any(obj, "valueSampledData")) {
    v.kind = K::other;  // waveforms: kept in raw only
  }
  return v;
}

}  // namespace

bool read_observation(ResourceInput& in) {
  // Read in place at the end of the list (three in four resources are
  // Observations): not built aside, moved in, and the moved-from one
  // destroyed. Taken off again unless read to the end: when refused, and
  // when an exception ends the source. `o` stays valid only while nothing
  // else appends to the list during the read (references and texts only
  // read it); the asserts hold that.
  std::vector<Observation>& list = in.draft.observations;
  Observation& o = list.emplace_back();
  struct Unless {
    std::vector<Observation>& list;
    const Observation* read_into;
    bool read = false;
    ~Unless() {
      assert(!list.empty() && &list.back() == read_into);
      if (!read) list.pop_back();
    }
  } unless_read{list, &o};
  o.code = get_concept(in.d, in.resource, "code", in.at);
  if (o.code.empty()) {
    in.missing("Observation", "code");
    return false;
  }
  static_cast<ItemBase&>(o) = std::move(in.base);
  o.status = view_or_empty(in.d, in.resource, "status", in.at);
  if (o.status.empty()) in.missing("Observation", "status");
  o.category = get_concept_codes(in.d, in.resource, "category", in.at);
  o.effective = get_time_choice(in.d, in.resource, "effective", in.at).period;
  o.issued = view_date_time(in.d, in.resource, "issued", in.at);
  o.value = read_value(in.d, in.resource, in.at);
  o.dataAbsentReason = get_concept(in.d, in.resource, "dataAbsentReason", in.at);
  for_each_object(in.d, in.resource, "referenceRange", in.at, [&](const Fields& r, const Path& p) {
    o.referenceRange.push_back(read_reference_range(in.d, r, p));
  });
  o.interpretation = get_concepts(in.d, in.resource, "interpretation", in.at);
  for_each_object(in.d, in.resource, "component", in.at, [&](const Fields& c, const Path& p) {
    ObservationComponent comp;
    comp.code = get_concept(in.d, c, "code", p);
    if (comp.code.empty()) {
      in.d.warn(DiagnosticCode::missing_required, p, "Observation.component.code is required but absent");
      return;
    }
    comp.value = read_value(in.d, c, p);
    comp.dataAbsentReason = get_concept(in.d, c, "dataAbsentReason", p);
    for_each_object(in.d, c, "referenceRange", p, [&](const Fields& r, const Path& rp) {
      comp.referenceRange.push_back(read_reference_range(in.d, r, rp));
    });
    comp.interpretation = get_concepts(in.d, c, "interpretation", p);
    o.components.push_back(std::move(comp));
  });
  for_each_reference(in.d, in.resource, "hasMember", in.at, [&](std::string_view r, const Path& p) {
    in.ref(Kind::observation, RefSlot::member, r, p);
  });
  in.ref_field(Kind::observation, RefSlot::encounter, "encounter");
  unless_read.read = true;
  return true;
}

}  // namespace chartlock::fhir
