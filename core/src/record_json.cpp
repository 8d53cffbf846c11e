// SPDX-License-Identifier: Apache-2.0
#include "chartlock/record_json.hpp"

#include "chartlock/version.hpp"
#include "merge/identity.hpp"

namespace chartlock {

using json = nlohmann::ordered_json;

namespace {

// Empty values are left out: absent and empty mean the same in FHIR.
void put(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}
void put_view(json& j, const char* key, std::string_view v) {
  if (!v.empty()) j[key] = std::string(v);
}
// Keys and dates: written from their characters, not through a std::string
// made first (ShortText's conversion) and then copied again.
void put(json& j, const char* key, const ShortText& v) { put_view(j, key, v.view()); }

json coding_json(const Coding& c) {
  json j = json::object();
  put(j, "system", c.system);
  put(j, "code", c.code);
  put(j, "display", c.display);
  return j;
}

// {system, code, display} of the preferred coding, the concept's text, and
// every coding when there is more than one.
json concept_json(const CodeableConcept& cc, const std::vector<std::string>& preferred = {}) {
  json j = json::object();
  if (const Coding* c = cc.primary(preferred)) j = coding_json(*c);
  put(j, "text", cc.text);
  if (cc.codings.size() > 1) {
    json all = json::array();
    for (const Coding& c : cc.codings) all.push_back(coding_json(c));
    j["codings"] = std::move(all);
  }
  return j;
}

void put(json& j, const char* key, const CodeableConcept& cc,
         const std::vector<std::string>& preferred = {}) {
  if (!cc.empty()) j[key] = concept_json(cc, preferred);
}

void put(json& j, const char* key, const std::vector<CodeableConcept>& list) {
  if (list.empty()) return;
  json a = json::array();
  for (const CodeableConcept& cc : list) a.push_back(concept_json(cc));
  j[key] = std::move(a);
}

// A list of texts (std::string, ShortText, Interned: each converts itself).
template <class Text>
void put(json& j, const char* key, const std::vector<Text>& list) {
  if (!list.empty()) j[key] = list;
}

// A Period as two fields: "<key>" (start) and "<key>End".
void put_period(json& j, const std::string& key, const Period& p) {
  put(j, key.c_str(), p.start);
  put(j, (key + "End").c_str(), p.end);
}

json quantity_json(const Quantity& q) {
  json j = json::object();
  if (q.value) j["value"] = *q.value;
  put(j, "comparator", q.comparator);
  put(j, "unit", q.unit.empty() ? q.code : q.unit);
  if (!q.code.empty()) j["unitCode"] = q.code;
  if (!q.system.empty() && q.system != systems::ucum) j["unitSystem"] = q.system;
  return j;
}

const char* kind_name(ObservationValue::Kind k) {
  using K = ObservationValue::Kind;
  switch (k) {
    case K::none: return "none";
    case K::quantity: return "quantity";
    case K::concept: return "concept";
    case K::string: return "string";
    case K::boolean: return "boolean";
    case K::integer: return "integer";
    case K::range: return "range";
    case K::ratio: return "ratio";
    case K::period: return "period";
    case K::time: return "time";
    case K::date_time: return "dateTime";
    case K::other: return "other";
  }
  return "other";
}

json value_json(const ObservationValue& v) {
  using K = ObservationValue::Kind;
  if (v.kind == K::none) return nullptr;
  json j = json::object();
  j["kind"] = kind_name(v.kind);
  switch (v.kind) {
    case K::quantity:
    case K::integer:
      j.update(quantity_json(v.quantity));
      break;
    case K::concept:
      j["code"] = concept_json(v.concept);
      put(j, "text", v.concept.label());
      break;
    case K::boolean:
      j["boolean"] = v.boolean;
      put(j, "text", v.text);
      break;
    case K::range:
      j["low"] = quantity_json(v.quantity);
      j["high"] = quantity_json(v.high.value_or(Quantity{}));
      break;
    case K::ratio:
      j["numerator"] = quantity_json(v.quantity);
      j["denominator"] = quantity_json(v.high.value_or(Quantity{}));
      break;
    default:
      put(j, "text", v.text);
  }
  return j;
}

json ranges_json(const std::vector<ReferenceRange>& ranges) {
  json a = json::array();
  for (const ReferenceRange& r : ranges) {
    json j = json::object();
    if (r.low) j["low"] = quantity_json(*r.low);
    if (r.high) j["high"] = quantity_json(*r.high);
    put(j, "type", r.type);
    put(j, "appliesTo", r.appliesTo);
    put(j, "text", r.text);
    a.push_back(std::move(j));
  }
  return a;
}

json interpretation_json(const std::vector<CodeableConcept>& list) {
  json a = json::array();
  for (const CodeableConcept& cc : list) a.push_back(concept_json(cc));
  return a;
}

json card_json(const CardProvenance& card) {
  json j = json::object();
  j["issuer"] = card.issuer;
  j["verified"] = card.verified;
  return j;
}

json sources_json(const std::vector<Provenance>& sources) {
  json a = json::array();
  for (const Provenance& p : sources) {
    json j = json::object();
    j["source"] = p.source;
    put(j, "resourceType", p.resourceType);
    put_view(j, "id", p.id());
    put_view(j, "fullUrl", p.fullUrl());
    put_view(j, "lastUpdated", p.lastUpdated());
    j["pointer"] = std::string(p.pointer());
    if (p.card) j["card"] = card_json(*p.card);
    a.push_back(std::move(j));
  }
  return a;
}

class Writer {
 public:
  explicit Writer(const RecordJsonOptions& options) : options_(options) {}

  json begin(const ItemBase& item) const {
    json j = json::object();
    j["key"] = item.key;
    return j;
  }
  // Provenance (and the original resource) go last: the clinical fields are
  // what a reader looks at first.
  void end(json& j, const ItemBase& item) const {
    j["sources"] = sources_json(item.sources);
    if (options_.include_raw && !item.raw.empty()) j["resource"] = json::parse(item.raw);
  }

  json operator()(const Condition& c) const {
    json j = begin(c);
    put(j, "code", c.code, merge::preferred_systems_condition());
    put(j, "clinicalStatus", c.clinicalStatus);
    put(j, "verificationStatus", c.verificationStatus);
    put(j, "category", c.category);
    put(j, "onset", c.onset);
    put(j, "onsetText", c.onsetText);
    put(j, "abatement", c.abatement);
    put(j, "recordedDate", c.recordedDate);
    put(j, "encounter", c.encounter);
    end(j, c);
    return j;
  }

  json operator()(const Observation& o) const {
    json j = begin(o);
    put(j, "status", o.status);
    j["category"] = o.category;
    j["code"] = concept_json(o.code, merge::preferred_systems_observation());
    j["effective"] = o.effective.start.empty() ? json(nullptr) : json(o.effective.start);
    put(j, "effectiveEnd", o.effective.end);
    put(j, "issued", o.issued);
    j["value"] = value_json(o.value);
    put(j, "dataAbsentReason", o.dataAbsentReason);
    j["referenceRange"] = ranges_json(o.referenceRange);
    j["interpretation"] = interpretation_json(o.interpretation);
    json comps = json::array();
    for (const ObservationComponent& c : o.components) {
      json cj = json::object();
      cj["code"] = concept_json(c.code, merge::preferred_systems_observation());
      cj["value"] = value_json(c.value);
      put(cj, "dataAbsentReason", c.dataAbsentReason);
      cj["referenceRange"] = ranges_json(c.referenceRange);
      cj["interpretation"] = interpretation_json(c.interpretation);
      comps.push_back(std::move(cj));
    }
    j["components"] = std::move(comps);
    put(j, "members", o.members);
    put(j, "encounter", o.encounter);
    end(j, o);
    return j;
  }

  json operator()(const Medication& m) const {
    json j = begin(m);
    j["kind"] = m.kind;
    put(j, "code", m.code, merge::preferred_systems_medication());
    put(j, "status", m.status);
    put(j, "intent", m.intent);
    put(j, "authoredOn", m.authoredOn);
    put_period(j, "effective", m.effective);
    put(j, "dosage", m.dosage);
    put(j, "reasons", m.reasons);
    put(j, "encounter", m.encounter);
    end(j, m);
    return j;
  }

  json operator()(const Allergy& a) const {
    json j = begin(a);
    put(j, "code", a.code, {systems::snomed, systems::rxnorm});
    put(j, "clinicalStatus", a.clinicalStatus);
    put(j, "verificationStatus", a.verificationStatus);
    put(j, "type", a.type);
    put(j, "category", a.category);
    put(j, "criticality", a.criticality);
    put(j, "onset", a.onset);
    put(j, "recordedDate", a.recordedDate);
    if (!a.reactions.empty()) {
      json rs = json::array();
      for (const Allergy::Reaction& r : a.reactions) {
        json rj = json::object();
        put(rj, "manifestations", r.manifestations);
        put(rj, "severity", r.severity);
        rs.push_back(std::move(rj));
      }
      j["reactions"] = std::move(rs);
    }
    end(j, a);
    return j;
  }

  json operator()(const Immunization& i) const {
    json j = begin(i);
    put(j, "code", i.code, merge::preferred_systems_immunization());
    put(j, "status", i.status);
    put(j, "occurrence", i.occurrence);
    put(j, "encounter", i.encounter);
    end(j, i);
    return j;
  }

  json operator()(const Procedure& p) const {
    json j = begin(p);
    put(j, "code", p.code, {systems::snomed});
    put(j, "status", p.status);
    put_period(j, "performed", p.performed);
    put(j, "encounter", p.encounter);
    end(j, p);
    return j;
  }

  json operator()(const Encounter& e) const {
    json j = begin(e);
    put(j, "status", e.status);
    if (!e.encounterClass.empty()) j["class"] = coding_json(e.encounterClass);
    put(j, "code", e.type, {systems::snomed});
    put_period(j, "period", e.period);
    put(j, "reasons", e.reasons);
    put(j, "serviceProvider", e.serviceProvider);
    end(j, e);
    return j;
  }

  static json attachments(const std::vector<Attachment>& list) {
    json atts = json::array();
    for (const Attachment& a : list) {
      json aj = json::object();
      put(aj, "contentType", a.contentType);
      put(aj, "title", a.title);
      put(aj, "url", a.url);
      put(aj, "creation", a.creation);
      if (a.size) aj["size"] = *a.size;
      put(aj, "format", a.format);
      put(aj, "text", a.text);
      put(aj, "note", a.note);
      if (a.hasBinary) aj["hasBinary"] = true;
      atts.push_back(std::move(aj));
    }
    return atts;
  }

  json operator()(const Report& r) const {
    json j = begin(r);
    put(j, "code", r.code, {systems::loinc});
    put(j, "status", r.status);
    put(j, "category", r.category);
    put_period(j, "effective", r.effective);
    put(j, "issued", r.issued);
    put(j, "results", r.results);
    put(j, "conclusion", r.conclusion);
    if (!r.presentedForm.empty()) j["presentedForm"] = attachments(r.presentedForm);
    put(j, "encounter", r.encounter);
    end(j, r);
    return j;
  }

  json operator()(const Document& d) const {
    json j = begin(d);
    put(j, "code", d.type, {systems::loinc});
    put(j, "status", d.status);
    put(j, "category", d.category);
    put(j, "date", d.date);
    put(j, "description", d.description);
    put(j, "authors", d.authors);
    j["attachments"] = attachments(d.attachments);
    put(j, "encounter", d.encounter);
    end(j, d);
    return j;
  }

  json operator()(const CarePlan& c) const {
    json j = begin(c);
    put(j, "status", c.status);
    put(j, "intent", c.intent);
    put(j, "category", c.category);
    put(j, "title", c.title);
    put(j, "description", c.description);
    put_period(j, "period", c.period);
    put(j, "activities", c.activities);
    put(j, "encounter", c.encounter);
    end(j, c);
    return j;
  }

  json operator()(const Goal& g) const {
    json j = begin(g);
    put(j, "code", g.description, {systems::snomed});
    put(j, "lifecycleStatus", g.lifecycleStatus);
    put(j, "start", g.start);
    put(j, "targetDates", g.targetDates);
    end(j, g);
    return j;
  }

  json operator()(const OtherResource& o) const {
    json j = begin(o);
    j["resourceType"] = o.resourceType;
    end(j, o);
    return j;
  }

  json patient(const Patient& p) const {
    if (!p.present) return nullptr;
    json j = begin(p);
    put(j, "name", p.name);
    put(j, "given", p.given);
    put(j, "family", p.family);
    put(j, "birthDate", p.birthDate);
    put(j, "gender", p.gender);
    put(j, "deceased", p.deceased);
    if (p.address) {
      json a = json::object();
      put(a, "city", p.address->city);
      put(a, "state", p.address->state);
      put(a, "postalCode", p.address->postalCode);
      put(a, "country", p.address->country);
      j["address"] = std::move(a);
    }
    end(j, p);
    return j;
  }

  template <class T>
  json list(const std::vector<T>& items) const {
    json a = json::array();
    for (const T& item : items) a.push_back((*this)(item));
    return a;
  }

 private:
  const RecordJsonOptions& options_;
};

json sources_summary_json(const std::vector<SourceSummary>& list) {
  json sources = json::array();
  for (const SourceSummary& s : list) {
    json sj = json::object();
    sj["name"] = s.name;
    sj["format"] = s.format;
    put(sj, "bundleType", s.bundleType);
    sj["bytes"] = s.bytes;
    sj["resources"] = s.resources;
    if (s.card) sj["card"] = card_json(*s.card);
    sources.push_back(std::move(sj));
  }
  return sources;
}

json warnings_json(const std::vector<Diagnostic>& list) {
  json warnings = json::array();
  for (const Diagnostic& d : list) {
    json wj = json::object();
    wj["code"] = to_string(d.code);
    wj["source"] = d.source;
    wj["pointer"] = d.pointer;
    if (d.line) wj["line"] = d.line;
    wj["message"] = d.message;
    warnings.push_back(std::move(wj));
  }
  return warnings;
}

// The record's top level, in order, to either sink below.
template <class Sink>
void write_record(const Record& r, const Writer& w, Sink& sink) {
  sink.value("schema", "chartlock.record/1");
  sink.value("patient", w.patient(r.patient));
  sink.list("conditions", r.conditions, w);
  sink.list("observations", r.observations, w);
  sink.list("medications", r.medications, w);
  sink.list("allergies", r.allergies, w);
  sink.list("immunizations", r.immunizations, w);
  sink.list("procedures", r.procedures, w);
  sink.list("encounters", r.encounters, w);
  sink.list("reports", r.reports, w);
  sink.list("documents", r.documents, w);
  sink.list("carePlans", r.carePlans, w);
  sink.list("goals", r.goals, w);
  sink.list("other", r.other, w);
  sink.value("sources", sources_summary_json(r.sources));
  sink.value("counts", json(r.counts));
  sink.value("warnings", warnings_json(r.warnings));
}

// Builds one DOM.
struct DomSink {
  json out = json::object();
  void value(const char* key, json v) { out[key] = std::move(v); }
  template <class T>
  void list(const char* key, const std::vector<T>& items, const Writer& w) { out[key] = w.list(items); }
};

// Writes compact text item by item: the DOM of one item at a time, never of
// the whole record (which would cost several times the record in memory).
struct TextSink {
  std::string out = "{";
  void key(const char* k) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += k;
    out += "\":";
  }
  void dump(const json& v) {
    // Strings in the record are valid UTF-8 (simdjson validates its input,
    // attachments are checked); `replace` guarantees a dump never throws.
    out += v.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  void value(const char* k, const json& v) {
    key(k);
    dump(v);
  }
  template <class T>
  void list(const char* k, const std::vector<T>& items, const Writer& w) {
    key(k);
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i) out += ',';
      dump(w(items[i]));
    }
    out += ']';
  }
};

}  // namespace

json to_json(const Record& r, const RecordJsonOptions& options) {
  DomSink sink;
  write_record(r, Writer(options), sink);
  return std::move(sink.out);
}

std::string record_to_json_text(const Record& record, const RecordJsonOptions& options,
                                int indent) {
  if (indent >= 0) {
    return to_json(record, options).dump(indent, ' ', false, json::error_handler_t::replace);
  }
  TextSink sink;
  write_record(record, Writer(options), sink);
  sink.out += '}';
  return std::move(sink.out);
}

}  // namespace chartlock
