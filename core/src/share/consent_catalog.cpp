#include <algorithm>

#include "chartlock/share.hpp"
#include "share/sensitivity.hpp"

namespace chartlock {

namespace {

std::vector<std::string> source_names(const ItemBase& item) {
  std::vector<std::string> out;
  for (const Provenance& p : item.sources) {
    if (std::find(out.begin(), out.end(), p.source) == out.end()) out.push_back(p.source);
  }
  return out;
}

ConsentItem item(const ItemBase& base, std::string category, std::string label, std::string date,
                 std::vector<const CodeableConcept*> concepts, bool medication = false) {
  ConsentItem c;
  c.key = base.key;
  c.category = std::move(category);
  c.resourceType = base.sources.empty() ? std::string() : base.sources.front().resourceType;
  c.label = std::move(label);
  c.date = std::move(date);
  c.sources = source_names(base);
  c.sensitive = share::sensitive_categories(concepts, medication);
  return c;
}

std::string observation_category(const Observation& o) {
  auto has = [&](const char* c) { return std::find(o.category.begin(), o.category.end(), c) != o.category.end(); };
  if (has("laboratory")) return "labs";
  if (has("vital-signs")) return "vitals";
  if (has("social-history")) return "socialHistory";
  return "otherObservations";
}

}  // namespace

std::vector<ConsentItem> consent_catalog(const Record& r) {
  std::vector<ConsentItem> out;
  for (const Condition& c : r.conditions) out.push_back(item(c, "conditions", c.code.label(), c.onset, {&c.code}));
  for (const Observation& o : r.observations) {
    std::vector<const CodeableConcept*> concepts{&o.code, &o.value.concept};
    out.push_back(item(o, observation_category(o), o.code.label(), o.effective.start, concepts));
  }
  for (const Medication& m : r.medications) {
    std::vector<const CodeableConcept*> concepts{&m.code};
    for (const CodeableConcept& reason : m.reasons) concepts.push_back(&reason);
    out.push_back(item(m, "medications", m.code.label(), !m.authoredOn.empty() ? m.authoredOn : m.effective.start,
                       concepts, true));
  }
  for (const Allergy& a : r.allergies) out.push_back(item(a, "allergies", a.code.label(), a.recordedDate, {&a.code}));
  for (const Immunization& i : r.immunizations) {
    out.push_back(item(i, "immunizations", i.code.label(), i.occurrence, {&i.code}));
  }
  for (const Procedure& p : r.procedures) {
    out.push_back(item(p, "procedures", p.code.label(), p.performed.start, {&p.code}));
  }
  for (const Encounter& e : r.encounters) {
    std::vector<const CodeableConcept*> concepts{&e.type};
    for (const CodeableConcept& reason : e.reasons) concepts.push_back(&reason);
    out.push_back(item(e, "encounters", e.type.empty() ? "Visit" : e.type.label(), e.period.start, concepts));
  }
  for (const Report& rep : r.reports) {
    out.push_back(item(rep, "reports", rep.code.label(), rep.effective.start, {&rep.code}));
  }
  for (const Document& d : r.documents) {
    out.push_back(item(d, "documents", d.type.empty() ? "Clinical note" : d.type.label(), d.date, {&d.type}));
  }
  for (const CarePlan& c : r.carePlans) {
    std::vector<const CodeableConcept*> concepts;
    for (const CodeableConcept& cat : c.category) concepts.push_back(&cat);
    for (const CodeableConcept& a : c.activities) concepts.push_back(&a);
    std::string label = !c.title.empty() ? c.title : !c.category.empty() ? c.category.front().label() : "Care plan";
    out.push_back(item(c, "carePlans", std::move(label), c.period.start, concepts));
  }
  for (const Goal& g : r.goals) out.push_back(item(g, "goals", g.description.label(), g.start, {&g.description}));
  return out;
}

nlohmann::ordered_json to_json(const std::vector<ConsentItem>& items) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const ConsentItem& c : items) {
    a.push_back({{"key", c.key}, {"category", c.category}, {"resourceType", c.resourceType}, {"label", c.label},
                 {"date", c.date}, {"sources", c.sources}, {"sensitive", c.sensitive}});
  }
  return a;
}

}  // namespace chartlock
