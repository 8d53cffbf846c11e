// SPDX-License-Identifier: Apache-2.0
#include "summary/observations.hpp"

#include <algorithm>

#include "chartlock/code_systems.hpp"
#include "fhir/fhir_time.hpp"
#include "summary/plain_text.hpp"
#include "summary/ranges.hpp"

namespace chartlock::summary {

std::string loinc_of(const CodeableConcept& code, const knowledge::Knowledge& kb) {
  std::string first;
  for (const Coding& c : code.codings) {
    if (c.system != systems::loinc || c.code.empty()) continue;
    if (kb.lab(c.code) || kb.vital_for_code(c.code)) return c.code;
    if (first.empty()) first = c.code;
  }
  return first;
}

namespace {

// The rule, once: a known lab test, else a known vital sign, else the category.
ObservationKind kind_from(const knowledge::LabTest* lab, const knowledge::VitalSign* vital, const Observation& o) {
  if (lab) return ObservationKind::lab;
  if (vital) return ObservationKind::vital;
  for (const std::string& c : o.category) {
    if (c == "laboratory") return ObservationKind::lab;
  }
  for (const std::string& c : o.category) {
    // "vital-sign" is a misspelling real exports carry.
    if (c == "vital-signs" || c == "vital-sign") return ObservationKind::vital;
  }
  return ObservationKind::other;
}

}  // namespace

ObservationKind kind_of(const Observation& o, const std::string& loinc, const knowledge::Knowledge& kb) {
  const knowledge::LabTest* lab = loinc.empty() ? nullptr : kb.lab(loinc);
  return kind_from(lab, !loinc.empty() && !lab ? kb.vital_for_code(loinc) : nullptr, o);
}

std::vector<ObservationClass> classify(const std::vector<Observation>& observations, const knowledge::Knowledge& kb) {
  std::vector<ObservationClass> out(observations.size());
  const std::string* last_when = nullptr;
  for (std::size_t i = 0; i < observations.size(); ++i) {
    ObservationClass& c = out[i];
    // A panel's members follow each other with one time: its key is made once.
    const std::string& w = when(observations[i]);
    c.time = last_when && *last_when == w ? out[i - 1].time : time_key(w);
    last_when = &w;
    c.loinc = loinc_of(observations[i].code, kb);
    if (!c.loinc.empty()) c.lab = kb.lab(c.loinc);
    if (!c.loinc.empty() && !c.lab) c.vital = kb.vital_for_code(c.loinc);
    c.kind = kind_from(c.lab, c.vital, observations[i]);
  }
  return out;
}

bool is_panel(const Observation& o) {
  return o.value.kind == ObservationValue::Kind::none && (!o.members.empty() || !o.components.empty());
}

Reading read_value(const ObservationValue& v, const CodeableConcept& data_absent, UnitReader& units) {
  using Kind = ObservationValue::Kind;
  Reading r;
  switch (v.kind) {
    case Kind::quantity:
    case Kind::integer:
      r.value = v.quantity.value;
      r.comparator = v.quantity.comparator;
      r.unit_given = !v.quantity.unit_key().empty();
      if (r.unit_given) r.unit = units.of(v.quantity);
      if (!r.value) r.text = "no number given";
      break;
    case Kind::concept:
      r.text = concept_label(v.concept);
      for (const Coding& c : v.concept.codings) r.answer_codes.push_back(c.code);
      break;
    case Kind::string:
    case Kind::boolean:
    case Kind::time:
    case Kind::date_time:
    case Kind::period:
      r.text = v.text;
      break;
    case Kind::range:
    case Kind::ratio:
    case Kind::other:
      r.text = "a value of a kind not summarized (see the record)";
      break;
    case Kind::none:
      r.absent = true;
      r.text = data_absent.empty() ? "no value reported" : "no value: " + lower_first(concept_label(data_absent));
      break;
  }
  return r;
}

const std::string& when(const Observation& o) { return o.effective.start.empty() ? o.issued : o.effective.start; }

std::string time_key(const std::string& t) {
  if (auto c = fhir::canonical_time(t)) return *c;
  return t;
}

std::vector<std::string> source_names(const std::vector<Provenance>& sources) {
  std::vector<std::string> out;
  for (const Provenance& p : sources) {
    const std::string_view name = base_name_view(p.source.str());
    if (std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
  }
  return out;
}

}  // namespace chartlock::summary
