// SPDX-License-Identifier: Apache-2.0
#include "share/share_resources.hpp"

#include <algorithm>
#include <cmath>

#include "summary/plain_text.hpp"
#include "text/base64.hpp"

namespace chartlock::share {

namespace {

using json = nlohmann::ordered_json;

constexpr const char* kTerminology = "http://terminology.hl7.org/CodeSystem/";

json concept_json(const CodeableConcept& cc) {
  json j = json::object();
  if (!cc.codings.empty()) {
    json codings = json::array();
    for (const Coding& c : cc.codings) {
      json coding = json::object();
      if (!c.system.empty()) coding["system"] = c.system;
      if (!c.code.empty()) coding["code"] = c.code;
      if (!c.display.empty()) coding["display"] = c.display;
      codings.push_back(std::move(coding));
    }
    j["coding"] = std::move(codings);
  }
  if (!cc.text.empty()) j["text"] = cc.text;
  return j;
}

json concepts_json(const std::vector<CodeableConcept>& list) {
  json a = json::array();
  for (const CodeableConcept& c : list) {
    if (!c.empty()) a.push_back(concept_json(c));
  }
  return a;
}

// A status the model keeps as its code, written back with its code system.
json status_concept(const std::string& code, const std::string& system) {
  return coded_concept(std::string(kTerminology) + system, code);
}

// Category codes as the model keeps them (codes only), with their system
// when it is the one FHIR or US Core defines for that code.
json category_concepts(const std::vector<Interned>& codes, const std::string& system_for_known,
                       const std::vector<std::string>& known) {
  json a = json::array();
  for (const std::string& code : codes) {
    json coding = json::object();
    for (const std::string& k : known) {
      if (k == code) coding["system"] = system_for_known;
    }
    coding["code"] = code;
    a.push_back(json{{"coding", json::array({std::move(coding)})}});
  }
  return a;
}

json number_json(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9007199254740992.0) {
    return json(static_cast<long long>(v));
  }
  return json(v);
}

json quantity_json(const Quantity& q) {
  json j = json::object();
  if (q.value) j["value"] = number_json(*q.value);
  if (!q.comparator.empty()) j["comparator"] = q.comparator;
  if (!q.unit.empty()) j["unit"] = q.unit;
  if (!q.system.empty()) j["system"] = q.system;
  if (!q.code.empty()) j["code"] = q.code;
  return j;
}

json subject() { return json{{"reference", std::string("Patient/") + kPatientId}}; }

json reference(const char* type, const std::string& id) { return json{{"reference", std::string(type) + "/" + id}}; }

void set_if(json& j, const char* field, const std::string& value) {
  if (!value.empty()) j[field] = value;
}

void set_concept(json& j, const char* field, const CodeableConcept& c) {
  if (!c.empty()) j[field] = concept_json(c);
}

void set_list(json& j, const char* field, json list) {
  if (!list.empty()) j[field] = std::move(list);
}

// dateTime, or a Period when it has an end.
void set_time(json& j, const char* stem, const Period& p) {
  if (p.empty()) return;
  if (p.end.empty()) {
    j[std::string(stem) + "DateTime"] = p.start;
    return;
  }
  json period = json::object();
  set_if(period, "start", p.start);
  set_if(period, "end", p.end);
  j[std::string(stem) + "Period"] = std::move(period);
}

void set_encounter(json& j, const std::string& key, const SharedIds& shared) {
  if (const std::string& id = shared.of(key); !id.empty()) j["encounter"] = reference("Encounter", id);
}

json begin(const char* type, const ItemBase& item, const SharedIds& shared) {
  return json{{"resourceType", type}, {"id", shared.of(item.key)}};
}

// Notes go last, as plain Annotation text: no author, no time.
json end(json j, const ItemBase& item) {
  json notes = json::array();
  for (const std::string& n : item.notes) notes.push_back(json{{"text", n}});
  set_list(j, "note", std::move(notes));
  return j;
}

void set_value(json& j, const ObservationValue& v) {
  using K = ObservationValue::Kind;
  switch (v.kind) {
    case K::quantity: j["valueQuantity"] = quantity_json(v.quantity); break;
    case K::concept: if (!v.concept.empty()) j["valueCodeableConcept"] = concept_json(v.concept); break;
    case K::string: j["valueString"] = v.text; break;
    case K::boolean: j["valueBoolean"] = v.boolean; break;
    case K::integer: if (v.quantity.value) j["valueInteger"] = number_json(*v.quantity.value); break;
    case K::range: {
      json r = json::object();
      if (!v.quantity.empty()) r["low"] = quantity_json(v.quantity);
      if (v.high) r["high"] = quantity_json(*v.high);
      j["valueRange"] = std::move(r);
      break;
    }
    case K::ratio: {
      json r = json::object();
      if (!v.quantity.empty()) r["numerator"] = quantity_json(v.quantity);
      if (v.high) r["denominator"] = quantity_json(*v.high);
      j["valueRatio"] = std::move(r);
      break;
    }
    case K::period: {
      const std::size_t slash = v.text.find('/');
      json p = json::object();
      if (slash != std::string::npos) {
        set_if(p, "start", v.text.substr(0, slash));
        set_if(p, "end", v.text.substr(slash + 1));
      }
      j["valuePeriod"] = std::move(p);
      break;
    }
    case K::time: j["valueTime"] = v.text; break;
    case K::date_time: set_if(j, "valueDateTime", v.text); break;
    case K::none:
    case K::other: break;  // sampled data is not shared
  }
}

json ranges_json(const std::vector<ReferenceRange>& ranges) {
  json a = json::array();
  for (const ReferenceRange& r : ranges) {
    json j = json::object();
    if (r.low) j["low"] = quantity_json(*r.low);
    if (r.high) j["high"] = quantity_json(*r.high);
    set_concept(j, "type", r.type);
    set_list(j, "appliesTo", concepts_json(r.appliesTo));
    set_if(j, "text", r.text);
    if (!j.empty()) a.push_back(std::move(j));
  }
  return a;
}

}  // namespace

json coded_concept(std::string_view system, std::string_view code, const char* display) {
  json coding = json::object();
  coding["system"] = std::string(system);
  coding["code"] = std::string(code);
  if (display) coding["display"] = display;
  json out = json::object();
  out["coding"].push_back(std::move(coding));
  return out;
}

json patient_resource(const Patient& p) {
  json j{{"resourceType", "Patient"}, {"id", kPatientId}};
  json name = json::object();
  set_if(name, "family", p.family);
  if (!p.given.empty()) name["given"] = p.given;
  if (p.given.empty() && p.family.empty()) set_if(name, "text", p.name);
  if (!name.empty()) j["name"] = json::array({std::move(name)});
  set_if(j, "gender", p.gender);
  set_if(j, "birthDate", p.birthDate);
  return j;
}

json resource(const Condition& c, const SharedIds& shared) {
  json j = begin("Condition", c, shared);
  if (!c.clinicalStatus.empty()) j["clinicalStatus"] = status_concept(c.clinicalStatus, "condition-clinical");
  if (!c.verificationStatus.empty()) j["verificationStatus"] = status_concept(c.verificationStatus, "condition-ver-status");
  set_list(j, "category", category_concepts(c.category, std::string(kTerminology) + "condition-category",
                                            {"problem-list-item", "encounter-diagnosis"}));
  set_concept(j, "code", c.code);
  j["subject"] = subject();
  set_encounter(j, c.encounter, shared);
  set_if(j, "onsetDateTime", c.onset);
  if (c.onset.empty()) set_if(j, "onsetString", c.onsetText);
  set_if(j, "abatementDateTime", c.abatement);
  set_if(j, "recordedDate", c.recordedDate);
  return end(std::move(j), c);
}

json resource(const Observation& o, const SharedIds& shared) {
  json j = begin("Observation", o, shared);
  set_if(j, "status", o.status);
  set_list(j, "category", category_concepts(o.category, std::string(kTerminology) + "observation-category",
                                            {"social-history", "vital-signs", "imaging", "laboratory", "procedure",
                                             "survey", "exam", "therapy", "activity"}));
  set_concept(j, "code", o.code);
  j["subject"] = subject();
  set_encounter(j, o.encounter, shared);
  set_time(j, "effective", o.effective);
  set_if(j, "issued", o.issued);
  set_value(j, o.value);
  set_concept(j, "dataAbsentReason", o.dataAbsentReason);
  set_list(j, "interpretation", concepts_json(o.interpretation));
  set_list(j, "referenceRange", ranges_json(o.referenceRange));
  json members = json::array();
  for (const ShortText& key : o.members) {
    if (const std::string& id = shared.of(key); !id.empty()) members.push_back(reference("Observation", id));
  }
  set_list(j, "hasMember", std::move(members));
  json components = json::array();
  for (const ObservationComponent& c : o.components) {
    json comp = json::object();
    set_concept(comp, "code", c.code);
    set_value(comp, c.value);
    set_concept(comp, "dataAbsentReason", c.dataAbsentReason);
    set_list(comp, "interpretation", concepts_json(c.interpretation));
    set_list(comp, "referenceRange", ranges_json(c.referenceRange));
    components.push_back(std::move(comp));
  }
  set_list(j, "component", std::move(components));
  return end(std::move(j), o);
}

json resource(const Medication& m, const SharedIds& shared) {
  const bool statement = m.kind == "statement";
  json j = begin(statement ? "MedicationStatement" : "MedicationRequest", m, shared);
  set_if(j, "status", m.status);
  if (!statement) set_if(j, "intent", m.intent);
  // The drug itself, not a pointer to a Medication resource the tool will not have.
  set_concept(j, "medicationCodeableConcept", m.code);
  j["subject"] = subject();
  if (const std::string& id = shared.of(m.encounter); !id.empty()) {
    j[statement ? "context" : "encounter"] = reference("Encounter", id);
  }
  if (statement) {
    set_time(j, "effective", m.effective);
    set_if(j, "dateAsserted", m.authoredOn);
  } else {
    set_if(j, "authoredOn", m.authoredOn);
  }
  set_list(j, "reasonCode", concepts_json(m.reasons));
  if (!m.dosage.empty()) j[statement ? "dosage" : "dosageInstruction"] = json::array({json{{"text", m.dosage}}});
  return end(std::move(j), m);
}

json resource(const Allergy& a, const SharedIds& shared) {
  json j = begin("AllergyIntolerance", a, shared);
  if (!a.clinicalStatus.empty()) j["clinicalStatus"] = status_concept(a.clinicalStatus, "allergyintolerance-clinical");
  if (!a.verificationStatus.empty()) {
    j["verificationStatus"] = status_concept(a.verificationStatus, "allergyintolerance-verification");
  }
  set_if(j, "type", a.type);
  if (!a.category.empty()) j["category"] = a.category;
  set_if(j, "criticality", a.criticality);
  set_concept(j, "code", a.code);
  j["patient"] = subject();
  set_if(j, "onsetDateTime", a.onset);
  set_if(j, "recordedDate", a.recordedDate);
  json reactions = json::array();
  for (const Allergy::Reaction& r : a.reactions) {
    json reaction = json::object();
    set_list(reaction, "manifestation", concepts_json(r.manifestations));
    set_if(reaction, "severity", r.severity);
    // FHIR requires a manifestation; a reaction without one says nothing.
    if (reaction.contains("manifestation")) reactions.push_back(std::move(reaction));
  }
  set_list(j, "reaction", std::move(reactions));
  return end(std::move(j), a);
}

json resource(const Immunization& i, const SharedIds& shared) {
  json j = begin("Immunization", i, shared);
  set_if(j, "status", i.status);
  set_concept(j, "vaccineCode", i.code);
  j["patient"] = subject();
  set_encounter(j, i.encounter, shared);
  set_if(j, "occurrenceDateTime", i.occurrence);
  return end(std::move(j), i);
}

json resource(const Procedure& p, const SharedIds& shared) {
  json j = begin("Procedure", p, shared);
  set_if(j, "status", p.status);
  set_concept(j, "code", p.code);
  j["subject"] = subject();
  set_encounter(j, p.encounter, shared);
  set_time(j, "performed", p.performed);
  return end(std::move(j), p);
}

json resource(const Encounter& e, const SharedIds& shared) {
  json j = begin("Encounter", e, shared);
  set_if(j, "status", e.status);
  if (!e.encounterClass.empty()) {
    json c = json::object();
    set_if(c, "system", e.encounterClass.system);
    set_if(c, "code", e.encounterClass.code);
    set_if(c, "display", e.encounterClass.display);
    j["class"] = std::move(c);
  }
  if (!e.type.empty()) j["type"] = json::array({concept_json(e.type)});
  j["subject"] = subject();
  if (!e.period.empty()) {
    json p = json::object();
    set_if(p, "start", e.period.start);
    set_if(p, "end", e.period.end);
    j["period"] = std::move(p);
  }
  set_list(j, "reasonCode", concepts_json(e.reasons));
  // The organization by name only: its record at the provider is not shared.
  if (!e.serviceProvider.empty()) j["serviceProvider"] = json{{"display", e.serviceProvider}};
  return end(std::move(j), e);
}

// Only text Chartlock has read (and checked) travels, as the plain text it
// read (an HTML, RTF or C-CDA note's words); binary data (PDF, images) and
// URLs at the provider do not.
json attachments_json(const std::vector<Attachment>& list) {
  json out = json::array();
  for (const Attachment& a : list) {
    if (a.text.empty()) continue;
    json att = json::object();
    att["contentType"] = "text/plain; charset=utf-8";
    att["data"] = text::base64_encode(a.text);
    set_if(att, "title", a.title);
    set_if(att, "creation", a.creation);
    out.push_back(std::move(att));
  }
  return out;
}

json resource(const Report& r, const SharedIds& shared) {
  json j = begin("DiagnosticReport", r, shared);
  set_if(j, "status", r.status);
  set_list(j, "category", category_concepts(r.category, std::string(kTerminology) + "v2-0074",
                                            {"LAB", "RAD", "PAT", "CG", "CH", "HM", "MB", "SP", "OTH"}));
  set_concept(j, "code", r.code);
  j["subject"] = subject();
  set_encounter(j, r.encounter, shared);
  set_time(j, "effective", r.effective);
  set_if(j, "issued", r.issued);
  json results = json::array();
  for (const ShortText& key : r.results) {
    if (const std::string& id = shared.of(key); !id.empty()) results.push_back(reference("Observation", id));
  }
  set_list(j, "result", std::move(results));
  set_if(j, "conclusion", r.conclusion);
  set_list(j, "presentedForm", attachments_json(r.presentedForm));
  return end(std::move(j), r);
}

json resource(const Document& d, const SharedIds& shared) {
  json j = begin("DocumentReference", d, shared);
  set_if(j, "status", d.status);
  set_concept(j, "type", d.type);
  set_list(j, "category", category_concepts(d.category, "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
                                            {"clinical-note"}));
  j["subject"] = subject();
  set_if(j, "date", d.date);
  set_if(j, "description", d.description);
  json content = json::array();
  for (json& att : attachments_json(d.attachments)) content.push_back(json{{"attachment", std::move(att)}});
  set_list(j, "content", std::move(content));
  if (const std::string& id = shared.of(d.encounter); !id.empty()) {
    j["context"] = json{{"encounter", json::array({reference("Encounter", id)})}};
  }
  return end(std::move(j), d);
}

json resource(const CarePlan& c, const SharedIds& shared) {
  json j = begin("CarePlan", c, shared);
  set_if(j, "status", c.status);
  set_if(j, "intent", c.intent);
  set_list(j, "category", concepts_json(c.category));
  set_if(j, "title", c.title);
  set_if(j, "description", c.description);
  j["subject"] = subject();
  set_encounter(j, c.encounter, shared);
  if (!c.period.empty()) {
    json p = json::object();
    set_if(p, "start", c.period.start);
    set_if(p, "end", c.period.end);
    j["period"] = std::move(p);
  }
  json activities = json::array();
  for (const CodeableConcept& a : c.activities) {
    if (!a.empty()) activities.push_back(json{{"detail", json{{"code", concept_json(a)}}}});
  }
  set_list(j, "activity", std::move(activities));
  return end(std::move(j), c);
}

json resource(const Goal& g, const SharedIds& shared) {
  json j = begin("Goal", g, shared);
  set_if(j, "lifecycleStatus", g.lifecycleStatus);
  set_concept(j, "description", g.description);
  j["subject"] = subject();
  set_if(j, "startDate", g.start);
  json targets = json::array();
  for (const std::string& due : g.targetDates) targets.push_back(json{{"dueDate", due}});
  set_list(j, "target", std::move(targets));
  return end(std::move(j), g);
}

void tag_sources(json& resource, const std::vector<Provenance>& sources) {
  json tags = json::array();
  std::vector<std::string> named;
  for (const Provenance& p : sources) {
    const std::string name = summary::base_name(p.source);
    if (name.empty() || std::find(named.begin(), named.end(), name) != named.end()) continue;
    named.push_back(name);
    tags.push_back(json{{"system", kSourceTagSystem}, {"display", name}});
  }
  if (!tags.empty()) resource["meta"] = json{{"tag", std::move(tags)}};
}

}  // namespace chartlock::share
