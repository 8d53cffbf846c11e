// SPDX-License-Identifier: Apache-2.0
#include "ips/entries.hpp"

namespace chartlock::ips {

namespace {

constexpr const char* kAbsentReason = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
constexpr const char* kAbsentCodes = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

// A primitive or a Reference with no value: the reason it is absent.
json absent(const char* why) {
  return json{{"extension", json::array({json{{"url", kAbsentReason}, {"valueCode", why}}})}};
}

// A CodeableConcept the record has no words for.
json absent_concept(const char* why) {
  return share::coded_concept(kAbsentCodes, why, std::string_view(why) == "masked" ? "Masked" : "Unknown");
}

void require_concept(json& j, const char* field) {
  if (!j.contains(field)) j[field] = absent_concept("unknown");
}

// A required dateTime (or other choice) the record does not have: `_field` with the reason.
void require_time(json& j, const std::vector<const char*>& choices, const char* written) {
  for (const char* c : choices) {
    if (j.contains(c)) return;
  }
  j[std::string("_") + written] = absent("unknown");
}

void require_status(json& j, const char* unknown_code) {
  if (j.contains("status")) return;
  if (unknown_code) {
    j["status"] = unknown_code;
  } else {
    j["_status"] = absent("unknown");
  }
}

bool has_category(const json& j, const std::string& code) {
  if (!j.contains("category")) return false;
  for (const json& concept : j["category"]) {
    for (const json& coding : concept.value("coding", json::array())) {
      if (coding.value("code", "") == code) return true;
    }
  }
  return false;
}

// The FHIR category the profile requires, added first when the source left it out.
void ensure_category(json& j, const std::string& code) {
  if (has_category(j, code)) return;
  json coding{{"system", "http://terminology.hl7.org/CodeSystem/observation-category"}, {"code", code}};
  json list = json::array({json{{"coding", json::array({std::move(coding)})}}});
  if (j.contains("category")) {
    for (json& c : j["category"]) list.push_back(std::move(c));
  }
  j["category"] = std::move(list);
}

// Whether `reference` is to be kept, after rewriting it when named.
bool resolve_one(json& ref, const std::map<std::string, std::string>& urls) {
  const auto it = urls.find(ref.value("reference", ""));
  if (it == urls.end()) return false;
  ref["reference"] = it->second;
  return true;
}

}  // namespace

json patient_entry(const Patient& p, bool withheld) {
  json j = share::patient_resource(p);
  const char* why = withheld ? "masked" : "unknown";
  if (!j.contains("name")) j["name"] = json::array({json{{"_text", absent(why)}}});
  if (!j.contains("birthDate")) j["_birthDate"] = absent(why);
  return j;
}

json item_entry(const Condition& c, const share::SharedIds& ids) {
  json j = share::resource(c, ids);
  require_concept(j, "code");
  return j;
}

json item_entry(const Medication& m, const share::SharedIds& ids) {
  json j = share::resource(m, ids);
  require_concept(j, "medicationCodeableConcept");
  require_status(j, "unknown");
  if (m.kind == "statement") {
    require_time(j, {"effectiveDateTime", "effectivePeriod"}, "effectiveDateTime");
  } else if (!j.contains("intent")) {
    j["_intent"] = absent("unknown");
  }
  return j;
}

json item_entry(const Allergy& a, const share::SharedIds& ids) {
  json j = share::resource(a, ids);
  require_concept(j, "code");
  return j;
}

json item_entry(const Immunization& i, const share::SharedIds& ids) {
  json j = share::resource(i, ids);
  require_status(j, nullptr);  // completed | entered-in-error | not-done: no "unknown"
  require_concept(j, "vaccineCode");
  require_time(j, {"occurrenceDateTime"}, "occurrenceDateTime");
  return j;
}

json item_entry(const Procedure& p, const share::SharedIds& ids) {
  json j = share::resource(p, ids);
  require_status(j, "unknown");
  require_concept(j, "code");
  require_time(j, {"performedDateTime", "performedPeriod"}, "performedDateTime");
  return j;
}

json item_entry(const Observation& o, const share::SharedIds& ids, const std::string& category) {
  json j = share::resource(o, ids);
  require_status(j, "unknown");
  ensure_category(j, category);
  require_concept(j, "code");
  require_time(j, {"effectiveDateTime", "effectivePeriod"}, "effectiveDateTime");
  // ips-2: a value, a reason for none, members or components.
  bool valued = j.contains("dataAbsentReason") || j.contains("hasMember") || j.contains("component");
  for (auto it = j.begin(); it != j.end() && !valued; ++it) valued = it.key().rfind("value", 0) == 0;
  if (!valued) j["dataAbsentReason"] = absent_concept("unknown");
  // The lab results profile requires a performer; the record does not keep who did the test.
  if (category == "laboratory" && !j.contains("performer")) j["performer"] = json::array({absent("unknown")});
  return j;
}

void resolve_references(json& resource, const std::map<std::string, std::string>& urls) {
  if (resource.is_array()) {
    json kept = json::array();
    for (json& item : resource) {
      if (item.is_object() && item.contains("reference") && item["reference"].is_string()) {
        if (resolve_one(item, urls)) kept.push_back(std::move(item));
        continue;
      }
      resolve_references(item, urls);
      kept.push_back(std::move(item));
    }
    resource = std::move(kept);
    return;
  }
  if (!resource.is_object()) return;
  std::vector<std::string> dropped;
  for (auto it = resource.begin(); it != resource.end(); ++it) {
    json& value = it.value();
    if (value.is_object() && value.contains("reference") && value["reference"].is_string()) {
      if (!resolve_one(value, urls)) dropped.push_back(it.key());
      continue;
    }
    resolve_references(value, urls);
    if (value.is_array() && value.empty()) dropped.push_back(it.key());
  }
  for (const std::string& key : dropped) resource.erase(key);
}

// Built member by member, as the document itself (document.cpp): nested
// initializer lists cost code for every element they convert.
json provenance_entry(const std::string& id, const std::string& source, const std::vector<std::string>& targets,
                      const std::string& recorded) {
  json target = json::array();
  for (const std::string& t : targets) target.push_back(json{{"reference", t}});
  json agent = json::object();
  agent["type"] = share::coded_concept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "custodian",
                                       "Custodian");
  agent["who"]["display"] = source;
  json p = json::object();
  p["resourceType"] = "Provenance";
  p["id"] = id;
  p["target"] = std::move(target);
  p["recorded"] = recorded;
  p["agent"].push_back(std::move(agent));
  return p;
}

json device_entry() {
  json name = json::object();
  name["name"] = "Chartlock";
  name["type"] = "user-friendly-name";
  json d = json::object();
  d["resourceType"] = "Device";
  d["id"] = "chartlock";
  d["deviceName"].push_back(std::move(name));
  d["type"]["text"] = "Software that assembled this summary for the patient from their records";
  return d;
}

}  // namespace chartlock::ips
