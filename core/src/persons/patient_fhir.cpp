// SPDX-License-Identifier: Apache-2.0
// A Patient as record location reads and sends it: one Patient resource in
// (the verified identity, a provider's candidate), the details matching uses
// out (a $match query's Patient), and a graded answer as JSON.
#include <nlohmann/json.hpp>

#include "chartlock/ingest.hpp"
#include "chartlock/persons.hpp"

namespace chartlock {

namespace {

using json = nlohmann::ordered_json;

void set_if(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

json name_json(const Patient::Name& n) {
  json j = json::object();
  set_if(j, "use", n.use);
  set_if(j, "text", n.text);
  set_if(j, "family", n.family);
  if (!n.given.empty()) j["given"] = n.given;
  if (!n.end.empty()) j["period"] = {{"end", n.end}};
  return j;
}

json address_json(const Patient::Address& a) {
  json j = json::object();
  set_if(j, "use", a.use);
  if (!a.line.empty()) j["line"] = a.line;
  set_if(j, "city", a.city);
  set_if(j, "state", a.state);
  set_if(j, "postalCode", a.postalCode);
  set_if(j, "country", a.country);
  if (!a.end.empty()) j["period"] = {{"end", a.end}};
  return j;
}

}  // namespace

Patient read_patient_resource(std::string_view text) {
  Source source{"patient", text};
  IngestOptions options;
  options.keep_raw = false;
  std::vector<Person> persons = find_persons({source}, options);
  if (persons.size() != 1 || persons.front().patients.size() != 1) {
    throw std::invalid_argument("expected one Patient resource");
  }
  return std::move(persons.front().patient);
}

std::string patient_to_fhir_json(const Patient& p) {
  json j{{"resourceType", "Patient"}};
  json names = json::array();
  for (const Patient::Name& n : p.names) names.push_back(name_json(n));
  if (names.empty() && (!p.family.empty() || !p.given.empty())) {
    names.push_back(name_json(Patient::Name{"official", p.family, p.given, {}, {}}));
  }
  if (!names.empty()) j["name"] = std::move(names);
  json telecom = json::array();
  for (const std::string& phone : p.phones) telecom.push_back({{"system", "phone"}, {"value", phone}});
  for (const std::string& email : p.emails) telecom.push_back({{"system", "email"}, {"value", email}});
  if (!telecom.empty()) j["telecom"] = std::move(telecom);
  set_if(j, "gender", p.gender);
  set_if(j, "birthDate", p.birthDate);
  json addresses = json::array();
  for (const Patient::Address& a : p.addresses) addresses.push_back(address_json(a));
  if (!addresses.empty()) j["address"] = std::move(addresses);
  json identifiers = json::array();
  for (const Patient::Identifier& id : p.identifiers) {
    json i = json::object();
    set_if(i, "system", id.system);
    i["value"] = id.value;
    identifiers.push_back(std::move(i));
  }
  if (!identifiers.empty()) j["identifier"] = std::move(identifiers);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string match_result_json(const MatchResult& r) {
  json fields = json::array();
  for (const FieldComparison& f : r.comparison.fields) {
    fields.push_back({{"field", f.field}, {"a", f.a}, {"b", f.b}, {"verdict", to_string(f.verdict)},
                      {"weight", f.weight}, {"note", f.note}});
  }
  json j{{"grade", to_string(r.grade)},
         {"score", r.score},
         {"outcome", to_string(r.comparison.outcome)},
         {"rule", r.comparison.rule},
         {"fields", std::move(fields)}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace chartlock
