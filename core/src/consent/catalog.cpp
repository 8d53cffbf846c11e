// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include "chartlock/consent.hpp"
#include "chartlock/knowledge.hpp"
#include "consent/sensitivity.hpp"
#include "summary/observations.hpp"
#include "summary/plain_text.hpp"

namespace chartlock {

namespace {

std::vector<std::string> source_names(const ItemBase& item) {
  std::vector<std::string> out;
  for (const Provenance& p : item.sources) {
    if (std::find(out.begin(), out.end(), p.source) == out.end()) out.push_back(p.source);
  }
  return out;
}

// What a patient is asked about should read like the summary they just saw:
// the knowledge base's plain name when it knows the code ("Hemoglobin A1c"),
// else the record's own words without SNOMED CT's semantic tag. The record's
// words are kept in `recorded` so the patient can still see exactly what goes.
struct Label {
  std::string plain, recorded;
};

// `test`: a result or report, whose LOINC long name reads as the test's name
// ("Lipid 1996 panel - Serum or Plasma" → "Lipid panel"), as the summary writes it.
Label label_of(const CodeableConcept& code, const std::string& known, const std::string& fallback, bool test = false) {
  Label l;
  l.recorded = code.label();
  l.plain = !known.empty() ? known : test ? summary::plain_test_name(summary::concept_label(code)) : summary::concept_label(code);
  if (l.plain.empty()) l.plain = fallback;
  if (l.recorded == l.plain) l.recorded.clear();
  return l;
}

std::string known_observation(const CodeableConcept& code, const knowledge::Knowledge& kb) {
  const std::string loinc = summary::loinc_of(code, kb);
  if (loinc.empty()) return {};
  if (const knowledge::LabTest* t = kb.lab(loinc)) return t->name;
  if (const knowledge::VitalSign* v = kb.vital_for_code(loinc)) return v->name;
  return {};
}

std::string known_condition(const CodeableConcept& code, const knowledge::Knowledge& kb) {
  const knowledge::ConditionInfo* info = kb.condition(code);
  return info ? info->plain : std::string();
}

std::string known_vaccine(const CodeableConcept& code, const knowledge::Knowledge& kb) {
  const knowledge::VaccineGroup* g = kb.vaccine_of(code);
  return g ? g->plain : std::string();
}

// The item's own sensitivity (everything its resources carried, from every
// provider) and its concepts' once references are resolved: a medicine named
// through a Medication resource, and the drug classes of what it contains.
ConsentItem item(const ItemBase& base, Category category, Label label, std::string_view date,
                 std::vector<const CodeableConcept*> concepts, bool medication = false) {
  ConsentItem c;
  c.key = base.key;
  c.category = category;
  c.resourceType = base.sources.empty() ? std::string() : base.sources.front().resourceType.str();
  c.label = std::move(label.plain);
  c.recorded = std::move(label.recorded);
  c.date = std::string(date);
  c.sources = source_names(base);
  consent::SensitivityScan scan;
  for (const CodeableConcept* concept : concepts) {
    if (concept == nullptr) continue;
    if (medication) scan.medication(*concept);
    else scan.concept(*concept);
    medication = false;  // only the first concept is the medicine; the rest are reasons
  }
  c.sensitive = consent::sensitive_ids(base.sensitive | scan.found());
  return c;
}

// Lab or vital sign as the summary counts it (a known LOINC code first, then
// the FHIR category), so a patient leaving out "lab results" leaves out what
// the summary called lab results.
Category observation_category(const Observation& o, const knowledge::Knowledge& kb) {
  switch (summary::kind_of(o, summary::loinc_of(o.code, kb), kb)) {
    case summary::ObservationKind::lab: return Category::labs;
    case summary::ObservationKind::vital: return Category::vitals;
    case summary::ObservationKind::other: break;
  }
  const bool social = std::find(o.category.begin(), o.category.end(), "social-history") != o.category.end();
  return social ? Category::socialHistory : Category::otherObservations;
}

bool active_condition(const Condition& c) {
  const std::string& s = c.clinicalStatus;
  return (s == "active" || s == "recurrence" || s == "relapse") && c.abatement.empty();
}

bool current_medication(const Medication& m) { return m.status == "active"; }

}  // namespace

std::vector<ConsentItem> consent_catalog(const Record& r) {
  const knowledge::Knowledge& kb = knowledge::get();
  std::vector<ConsentItem> out;
  for (const Condition& c : r.conditions) {
    out.push_back(item(c, Category::conditions, label_of(c.code, known_condition(c.code, kb), "A condition without a name"),
                       c.onset, {&c.code}));
    out.back().ongoing = active_condition(c);
    out.back().fhirCategory = to_strings(c.category);
  }
  for (const Observation& o : r.observations) {
    std::vector<const CodeableConcept*> concepts{&o.code, &o.value.concept};
    out.push_back(item(o, observation_category(o, kb), label_of(o.code, known_observation(o.code, kb), "A result without a name", true),
                       o.effective.start, concepts));
    out.back().fhirCategory = to_strings(o.category);
  }
  for (const Medication& m : r.medications) {
    std::vector<const CodeableConcept*> concepts{&m.code};
    for (const CodeableConcept& reason : m.reasons) concepts.push_back(&reason);
    // A medicine's own name and strength is already what the patient knows it by.
    out.push_back(item(m, Category::medications, label_of(m.code, {}, "A medicine without a name"),
                       !m.authoredOn.empty() ? m.authoredOn : m.effective.start, concepts, true));
    out.back().ongoing = current_medication(m);
  }
  for (const Allergy& a : r.allergies) {
    out.push_back(item(a, Category::allergies, label_of(a.code, {}, "An allergy without a name"), a.recordedDate, {&a.code}));
    out.back().fhirCategory = to_strings(a.category);
  }
  for (const Immunization& i : r.immunizations) {
    out.push_back(item(i, Category::immunizations, label_of(i.code, known_vaccine(i.code, kb), "A vaccine without a name"),
                       i.occurrence, {&i.code}));
  }
  for (const Procedure& p : r.procedures) {
    out.push_back(item(p, Category::procedures, label_of(p.code, {}, "A procedure without a name"), p.performed.start, {&p.code}));
  }
  for (const Encounter& e : r.encounters) {
    std::vector<const CodeableConcept*> concepts{&e.type};
    for (const CodeableConcept& reason : e.reasons) concepts.push_back(&reason);
    out.push_back(item(e, Category::encounters, label_of(e.type, {}, "Visit"), e.period.start, concepts));
  }
  for (const Report& rep : r.reports) {
    out.push_back(item(rep, Category::reports, label_of(rep.code, known_observation(rep.code, kb), "A report without a name", true), rep.effective.start, {&rep.code}));
    out.back().fhirCategory = to_strings(rep.category);
  }
  for (const Document& d : r.documents) {
    out.push_back(item(d, Category::documents, label_of(d.type, {}, "Clinical note"), d.date, {&d.type}));
    out.back().fhirCategory = to_strings(d.category);
  }
  for (const CarePlan& c : r.carePlans) {
    std::vector<const CodeableConcept*> concepts;
    for (const CodeableConcept& cat : c.category) concepts.push_back(&cat);
    for (const CodeableConcept& a : c.activities) concepts.push_back(&a);
    Label label = !c.title.empty()      ? Label{c.title, {}}
                  : !c.category.empty() ? label_of(c.category.front(), {}, "Care plan")
                                        : Label{"Care plan", {}};
    out.push_back(item(c, Category::carePlans, std::move(label), c.period.start, concepts));
  }
  for (const Goal& g : r.goals) {
    out.push_back(item(g, Category::goals, label_of(g.description, {}, "A goal without a description"), g.start, {&g.description}));
  }
  return out;
}

nlohmann::ordered_json to_json(const std::vector<ConsentItem>& items) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const ConsentItem& c : items) {
    a.push_back({{"key", c.key}, {"category", std::string(category_id(c.category))}, {"resourceType", c.resourceType}, {"label", c.label},
                 {"recorded", c.recorded}, {"date", c.date}, {"ongoing", c.ongoing}, {"sources", c.sources}, {"sensitive", c.sensitive}});
  }
  return a;
}

}  // namespace chartlock
