// SPDX-License-Identifier: Apache-2.0
// A structural check of an IPS document Bundle, hand-written from the HL7
// FHIR IPS IG (hl7.fhir.uv.ips: Bundle-uv-ips, Composition-uv-ips and the
// entry profiles' required elements and invariants): what the tests hold
// every IPS Chartlock makes to, and the IG's own example passes
// (tests/fixtures/ips/). Not a validator: no terminology, no slicing by
// profile, only what a reader relies on.
#pragma once

#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ips_check {

using json = nlohmann::json;

struct Report {
  std::vector<std::string> problems;
  void fail(const std::string& what) { problems.push_back(what); }
  std::string text() const {
    std::string out;
    for (const std::string& p : problems) out += p + "\n";
    return out;
  }
};

// LOINC codes of the sections, and the resource types each may list.
inline const std::map<std::string, std::set<std::string>>& section_types() {
  static const std::map<std::string, std::set<std::string>> types{
      {"11450-4", {"Condition", "DocumentReference"}},
      {"48765-2", {"AllergyIntolerance", "DocumentReference"}},
      {"10160-0", {"MedicationStatement", "MedicationRequest", "MedicationAdministration", "MedicationDispense",
                   "DocumentReference"}},
      {"11369-6", {"Immunization", "DocumentReference"}},
      {"30954-2", {"Observation", "DiagnosticReport", "DocumentReference"}},
      {"47519-4", {"Procedure", "DocumentReference"}},
      {"11348-0", {"Condition", "DocumentReference"}},
      {"8716-3", {"Observation", "DocumentReference"}},
  };
  return types;
}

inline bool has_code(const json& concept, const std::string& system, const std::string& code) {
  if (!concept.is_object() || !concept.contains("coding")) return false;
  for (const json& c : concept["coding"]) {
    if (c.value("system", "") == system && c.value("code", "") == code) return true;
  }
  return false;
}

inline bool has_category(const json& r, const std::string& code) {
  if (!r.contains("category")) return false;
  for (const json& c : r["category"]) {
    if (has_code(c, "http://terminology.hl7.org/CodeSystem/observation-category", code)) return true;
  }
  return false;
}

// A choice element ("effective" → effectiveDateTime, effectivePeriod…), or its
// primitive form carrying only an extension (data-absent-reason).
inline bool has_choice(const json& r, const std::string& stem) {
  for (auto it = r.begin(); it != r.end(); ++it) {
    const std::string& k = it.key();
    if (k.rfind(stem, 0) == 0 && k.size() > stem.size() && std::isupper(static_cast<unsigned char>(k[stem.size()]))) return true;
    if (k.rfind("_" + stem, 0) == 0 && k.size() > stem.size() + 1) return true;
  }
  return false;
}

inline bool has_value(const json& r, const std::string& field) {
  return (r.contains(field) && !r[field].is_null()) || r.contains("_" + field);
}

inline void collect_references(const json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "reference" && it.value().is_string()) out.push_back(it.value().get<std::string>());
      else collect_references(it.value(), out);
    }
  } else if (j.is_array()) {
    for (const json& e : j) collect_references(e, out);
  }
}

// The XHTML of a narrative: the FHIR div, tags Chartlock or the IG's
// examples use, and only the five predefined entities (or numeric ones).
inline bool plausible_xhtml(const std::string& div) {
  const std::string open = "<div xmlns=\"http://www.w3.org/1999/xhtml\"";
  if (div.rfind(open, 0) != 0 || div.size() < 6 || div.compare(div.size() - 6, 6, "</div>") != 0) return false;
  static const std::set<std::string> tags{"div", "ul", "ol", "li", "b", "i", "p", "span", "table", "thead", "tbody", "tr", "th", "td", "br"};
  int depth = 0;
  for (std::size_t i = 0; i < div.size(); ++i) {
    if (div[i] == '<') {
      const std::size_t end = div.find('>', i);
      if (end == std::string::npos) return false;
      std::string tag = div.substr(i + 1, end - i - 1);
      const bool closing = !tag.empty() && tag[0] == '/';
      if (closing) tag.erase(0, 1);
      const std::string name = tag.substr(0, tag.find_first_of(" /"));
      if (tags.count(name) == 0) return false;
      if (closing) --depth;
      else if (tag.empty() || tag.back() != '/') ++depth;
      if (depth < 0) return false;
      i = end;
    } else if (div[i] == '>') {
      return false;
    } else if (div[i] == '&') {
      const std::size_t semi = div.find(';', i);
      if (semi == std::string::npos) return false;
      const std::string entity = div.substr(i, semi - i + 1);
      static const std::set<std::string> named{"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
      if (named.count(entity) == 0 && entity.rfind("&#", 0) != 0) return false;
    }
  }
  return depth == 0;
}

// Required elements of the entry profiles (IPS IG) and FHIR R4, as far as
// the Chartlock record model can fill them.
inline void check_resource(const json& r, Report& report) {
  const std::string type = r.value("resourceType", "");
  const std::string at = type + "/" + r.value("id", "?") + ": ";
  auto need = [&](bool ok, const std::string& what) {
    if (!ok) report.fail(at + what);
  };
  auto subject = [&](const char* field) {
    need(r.contains(field) && r[field].contains("reference"), std::string(field) + ".reference is required");
  };
  if (type == "Patient") {
    bool named = false;
    for (const json& n : r.value("name", json::array())) {
      named = named || n.contains("family") || n.contains("given") || n.contains("text") || n.contains("_text");
    }
    need(named, "name with family, given or text (ips-pat-1)");
    need(has_value(r, "birthDate"), "birthDate (or its absent reason)");
  } else if (type == "Condition") {
    need(r.contains("code"), "code");
    subject("subject");
  } else if (type == "AllergyIntolerance") {
    need(r.contains("code"), "code");
    subject("patient");
  } else if (type == "MedicationStatement") {
    need(has_value(r, "status"), "status");
    need(has_choice(r, "medication"), "medication[x]");
    need(has_choice(r, "effective"), "effective[x]");
    subject("subject");
  } else if (type == "MedicationRequest") {
    need(has_value(r, "status"), "status");
    need(has_value(r, "intent"), "intent");
    need(has_choice(r, "medication"), "medication[x]");
    subject("subject");
  } else if (type == "Immunization") {
    need(has_value(r, "status"), "status");
    need(r.contains("vaccineCode"), "vaccineCode");
    need(has_choice(r, "occurrence"), "occurrence[x]");
    subject("patient");
  } else if (type == "Procedure") {
    need(has_value(r, "status"), "status");
    need(r.contains("code"), "code");
    need(has_choice(r, "performed"), "performed[x]");
    subject("subject");
  } else if (type == "Observation") {
    need(has_value(r, "status"), "status");
    need(r.contains("code"), "code");
    need(has_choice(r, "effective"), "effective[x]");
    subject("subject");
    need(has_choice(r, "value") || r.contains("dataAbsentReason") || r.contains("hasMember") || r.contains("component"),
         "a value, dataAbsentReason, hasMember or component (ips-2)");
    for (const json& c : r.value("component", json::array())) {
      need(has_choice(c, "value") || c.contains("dataAbsentReason"), "component value or dataAbsentReason (ips-3)");
    }
  }
}

// Everything the tests require of an IPS document Bundle.
inline Report check(const json& bundle) {
  Report report;
  if (bundle.value("resourceType", "") != "Bundle") report.fail("not a Bundle");
  if (bundle.value("type", "") != "document") report.fail("Bundle.type is not document");
  if (!bundle.contains("identifier") || !bundle["identifier"].contains("value")) report.fail("Bundle.identifier is required");
  const std::string timestamp = bundle.value("timestamp", "");
  if (timestamp.size() < 20 || timestamp[10] != 'T') report.fail("Bundle.timestamp must be an instant");
  const json entries = bundle.value("entry", json::array());
  if (entries.empty()) {
    report.fail("no entries");
    return report;
  }

  std::map<std::string, json> by_url;
  std::size_t compositions = 0, patients = 0;
  for (const json& e : entries) {
    const std::string url = e.value("fullUrl", "");
    if (url.empty()) report.fail("an entry without fullUrl");
    if (!by_url.emplace(url, e.value("resource", json::object())).second) report.fail("fullUrl twice: " + url);
    const std::string type = e["resource"].value("resourceType", "");
    compositions += type == "Composition";
    patients += type == "Patient";
    check_resource(e["resource"], report);
  }
  const json& composition = entries[0]["resource"];
  if (composition.value("resourceType", "") != "Composition") report.fail("the first entry is not the Composition");
  if (compositions != 1) report.fail("not exactly one Composition (bdl-ips-1)");
  if (patients != 1) report.fail("not exactly one Patient");

  // Composition (IPS)
  if (!composition.contains("status")) report.fail("Composition.status is required");
  if (!has_code(composition.value("type", json::object()), "http://loinc.org", "60591-5")) {
    report.fail("Composition.type is not LOINC 60591-5");
  }
  const std::string subject = composition.value("subject", json::object()).value("reference", "");
  if (by_url.count(subject) == 0 || by_url[subject].value("resourceType", "") != "Patient") {
    report.fail("Composition.subject is not the Bundle's Patient");
  }
  if (!composition.contains("date")) report.fail("Composition.date is required");
  if (composition.value("author", json::array()).empty()) report.fail("Composition.author is required");
  if (!composition.contains("title")) report.fail("Composition.title is required");

  // Sections: codes, narrative, entries or emptyReason, entry types.
  std::set<std::string> codes;
  std::map<std::string, int> listed;  // fullUrl → times a section lists it
  for (const json& s : composition.value("section", json::array())) {
    std::string code;
    for (const json& c : s.value("code", json::object()).value("coding", json::array())) {
      if (c.value("system", "") == "http://loinc.org") code = c.value("code", "");
    }
    if (code.empty()) report.fail("a section without a LOINC code");
    if (!codes.insert(code).second) report.fail("section " + code + " twice");
    if (!s.contains("title")) report.fail("section " + code + " has no title");
    const json text = s.value("text", json::object());
    if (!text.contains("status") || !plausible_xhtml(text.value("div", ""))) {
      report.fail("section " + code + " has no narrative div, or it is not XHTML");
    }
    const json list = s.value("entry", json::array());
    if (list.empty() && !s.contains("emptyReason")) report.fail("section " + code + ": no entry and no emptyReason (ips-comp-1)");
    if (!list.empty() && s.contains("emptyReason")) report.fail("section " + code + ": entries and an emptyReason");
    const auto allowed = section_types().find(code);
    for (const json& ref : list) {
      const std::string url = ref.value("reference", "");
      ++listed[url];
      if (by_url.count(url) == 0) {
        report.fail("section " + code + " lists " + url + ", not in the Bundle");
        continue;
      }
      const json& r = by_url[url];
      const std::string type = r.value("resourceType", "");
      if (allowed != section_types().end() && allowed->second.count(type) == 0) {
        report.fail("section " + code + " lists a " + type);
      }
      if (code == "30954-2" && type == "Observation" && !has_category(r, "laboratory") && !has_category(r, "imaging")) {
        report.fail("a result that is not a laboratory or imaging Observation: " + url);
      }
      if (code == "8716-3" && type == "Observation" && !has_category(r, "vital-signs")) {
        report.fail("a vital sign without the vital-signs category: " + url);
      }
      if (code == "30954-2" && has_category(r, "laboratory") && r.value("performer", json::array()).empty()) {
        report.fail("a lab result without performer: " + url);
      }
    }
  }
  for (const char* required : {"11450-4", "10160-0", "48765-2"}) {
    if (codes.count(required) == 0) report.fail(std::string("required section ") + required + " is missing");
  }

  // Every reference resolves inside the Bundle; every clinical entry is listed by a section.
  std::vector<std::string> references;
  for (const json& e : entries) collect_references(e["resource"], references);
  for (const std::string& ref : references) {
    if (by_url.count(ref) == 0) report.fail("reference " + ref + " does not resolve inside the Bundle");
  }
  static const std::set<std::string> clinical{"Condition", "AllergyIntolerance", "MedicationStatement", "MedicationRequest",
                                              "Immunization", "Observation", "Procedure"};
  for (const auto& [url, r] : by_url) {
    if (clinical.count(r.value("resourceType", "")) > 0 && listed[url] != 1) {
      report.fail(url + " (" + r.value("resourceType", "") + ") is listed by " + std::to_string(listed[url]) + " sections, not 1");
    }
  }
  return report;
}

}  // namespace ips_check
