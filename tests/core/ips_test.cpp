// SPDX-License-Identifier: Apache-2.0
// The International Patient Summary (chartlock/ips.hpp): the same consent
// engine as a share with a tool decides what is in it; the document holds
// to the IPS IG's structure (ips_check.hpp), states its empty sections, and
// is the same bytes for the same input.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "chartlock/ips.hpp"
#include "ingest_support.hpp"
#include "ips_check.hpp"

using json = nlohmann::json;

namespace {

// Two providers: the clinic (problems, medicines, an allergy, labs, vitals, a
// sensitive diagnosis) and the hospital (a vaccine, a procedure, a resolved
// problem, and the same hypertension the clinic has).
const std::string kClinic = test::bundle({
    R"({"resourceType":"Patient","id":"p1","name":[{"given":["Ana"],"family":"Silva"}],"gender":"female","birthDate":"1980-02-03"})",
    R"({"resourceType":"Condition","id":"c1","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}]},"onsetDateTime":"2015-01-01"})",
    R"({"resourceType":"Condition","id":"c2","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"F33.1","display":"Major depressive disorder, recurrent, moderate"}]},"onsetDateTime":"2019-01-01"})",
    R"({"resourceType":"AllergyIntolerance","id":"a1","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"text":"Peanuts <& \"shells\">"},"criticality":"high","reaction":[{"manifestation":[{"text":"Hives"}],"severity":"moderate"}],"recordedDate":"2010-05-06"})",
    R"({"resourceType":"MedicationRequest","id":"m1","status":"active","intent":"order","medicationCodeableConcept":{"text":"lisinopril 10 MG Oral Tablet"},"authoredOn":"2015-01-02","dosageInstruction":[{"text":"Once a day"}]})",
    R"({"resourceType":"Observation","id":"o1","status":"final","category":[{"coding":[{"code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"2345-7","display":"Glucose"}]},"effectiveDateTime":"2024-01-01","valueQuantity":{"value":99,"unit":"mg/dL","code":"mg/dL"},"referenceRange":[{"low":{"value":70,"unit":"mg/dL"},"high":{"value":99,"unit":"mg/dL"}}]})",
    R"({"resourceType":"Observation","id":"o2","status":"final","category":[{"coding":[{"code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},"effectiveDateTime":"2024-01-01"})",
    R"({"resourceType":"Observation","id":"o3","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},"effectiveDateTime":"2024-01-01","valueQuantity":{"value":70,"unit":"/min"}})"});

const std::string kHospital = test::bundle({
    R"({"resourceType":"Patient","id":"h1","name":[{"given":["Ana"],"family":"Silva"}],"gender":"female","birthDate":"1980-02-03"})",
    R"({"resourceType":"Condition","id":"hc1","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}]},"onsetDateTime":"2015-01-01"})",
    R"({"resourceType":"Condition","id":"hc2","clinicalStatus":{"coding":[{"code":"resolved"}]},"code":{"text":"Appendicitis"},"onsetDateTime":"2001-03-04","abatementDateTime":"2001-03-10"})",
    R"({"resourceType":"Immunization","id":"i1","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"141","display":"Influenza, seasonal, injectable"}]},"occurrenceDateTime":"2023-10-01"})",
    R"({"resourceType":"Procedure","id":"pr1","status":"completed","code":{"text":"Appendectomy"}})"});

chartlock::Record records() {
  return test::ingest_all({{"Clinic", kClinic}, {"Hospital", kHospital}});
}

chartlock::ShareRequest request(const std::string& consent, const std::string& today = "2025-06-01") {
  chartlock::ShareRequest r;
  r.consent = chartlock::consent_from_json(consent);
  r.today = today;
  return r;
}

const std::string kEverything = R"({"scopes":["patient/*.rs"]})";

json ips(const std::string& consent, const chartlock::Record& record = records()) {
  return json::parse(chartlock::build_ips(record, request(consent)).json);
}

const json& composition(const json& bundle) { return bundle["entry"][0]["resource"]; }

const json* section(const json& bundle, const std::string& code) {
  for (const json& s : composition(bundle)["section"]) {
    if (s["code"]["coding"][0]["code"] == code) return &s;
  }
  return nullptr;
}

std::size_t count_type(const json& bundle, const std::string& type) {
  std::size_t n = 0;
  for (const json& e : bundle["entry"]) n += e["resource"]["resourceType"] == type;
  return n;
}

std::string read_fixture(const std::string& path) {
  std::ifstream in(std::string(CHARTLOCK_FIXTURES) + "/" + path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("the structural check passes the IPS IG's own minimal example", "[ips]") {
  const json example = json::parse(read_fixture("ips/Bundle-bundle-minimal.json"));
  const ips_check::Report report = ips_check::check(example);
  INFO(report.text());
  CHECK(report.problems.empty());
}

TEST_CASE("the structural check catches what breaks an IPS", "[ips]") {
  json bundle = ips(kEverything);
  REQUIRE(ips_check::check(bundle).problems.empty());
  json moved = bundle;
  std::swap(moved["entry"][0], moved["entry"][1]);
  CHECK_FALSE(ips_check::check(moved).problems.empty());  // Composition not first
  json dangling = bundle;
  dangling["entry"][0]["resource"]["section"][0]["entry"][0]["reference"] = "urn:uuid:00000000-0000-8000-8000-000000000000";
  CHECK_FALSE(ips_check::check(dangling).problems.empty());
  json bad_text = bundle;
  bad_text["entry"][0]["resource"]["section"][0]["text"]["div"] = "<div xmlns=\"http://www.w3.org/1999/xhtml\">a < b</div>";
  CHECK_FALSE(ips_check::check(bad_text).problems.empty());
}

TEST_CASE("an IPS of two providers: document, Composition first, sections in IPS order", "[ips]") {
  const json bundle = ips(kEverything);
  const ips_check::Report report = ips_check::check(bundle);
  INFO(report.text());
  REQUIRE(report.problems.empty());
  CHECK(bundle["type"] == "document");
  CHECK(bundle["timestamp"] == "2025-06-01T00:00:00Z");
  CHECK(composition(bundle)["date"] == "2025-06-01");
  CHECK(composition(bundle)["title"] == "International Patient Summary");
  std::vector<std::string> codes;
  for (const json& s : composition(bundle)["section"]) codes.push_back(s["code"]["coding"][0]["code"]);
  // Problems, allergies, medicines, immunizations, results, procedures, past illness, vital signs.
  CHECK(codes == std::vector<std::string>{"11450-4", "48765-2", "10160-0", "11369-6", "30954-2", "47519-4", "11348-0", "8716-3"});
  // The hypertension both providers have is one Condition; appendicitis (resolved) is past illness.
  CHECK((*section(bundle, "11450-4"))["entry"].size() == 1);
  CHECK((*section(bundle, "11348-0"))["entry"].size() == 1);
  CHECK((*section(bundle, "30954-2"))["entry"].size() == 2);
  CHECK((*section(bundle, "8716-3"))["entry"].size() == 1);
  CHECK(bundle["entry"][1]["resource"]["resourceType"] == "Patient");
  CHECK(bundle["entry"][1]["resource"]["name"][0]["family"] == "Silva");
}

TEST_CASE("IPS entries state what the record lacks the IPS way", "[ips]") {
  const json bundle = ips(kEverything);
  for (const json& e : bundle["entry"]) {
    const json& r = e["resource"];
    if (r["resourceType"] == "Procedure") {
      // Appendectomy without a date: performed[x] is required.
      CHECK(r["_performedDateTime"]["extension"][0]["url"] == "http://hl7.org/fhir/StructureDefinition/data-absent-reason");
      CHECK(r["_performedDateTime"]["extension"][0]["valueCode"] == "unknown");
    }
    if (r["resourceType"] == "Observation" && r["code"]["coding"][0]["code"] == "4548-4") {
      // An A1c without a value: ips-2 needs a dataAbsentReason; a lab result needs a performer.
      CHECK(r["dataAbsentReason"]["coding"][0]["code"] == "unknown");
      CHECK(r["performer"][0]["extension"][0]["valueCode"] == "unknown");
      CHECK(r["category"][0]["coding"][0]["system"] == "http://terminology.hl7.org/CodeSystem/observation-category");
    }
    if (r["resourceType"] == "Observation" && r["code"]["coding"][0]["code"] == "2345-7") {
      CHECK(r["valueQuantity"]["value"] == 99);
      CHECK(r["referenceRange"][0]["low"]["value"] == 70);
      CHECK(r["referenceRange"][0]["high"]["value"] == 99);
    }
  }
}

TEST_CASE("each IPS entry keeps its providers: a Provenance per provider", "[ips]") {
  const json bundle = ips(kEverything);
  std::map<std::string, std::set<std::string>> sources_of;  // fullUrl → providers
  for (const json& e : bundle["entry"]) {
    const json& r = e["resource"];
    if (r["resourceType"] != "Provenance") continue;
    CHECK(r["agent"][0]["type"]["coding"][0]["code"] == "custodian");
    for (const json& t : r["target"]) sources_of[t["reference"]].insert(r["agent"][0]["who"]["display"]);
  }
  CHECK(count_type(bundle, "Provenance") == 2);
  for (const json& e : bundle["entry"]) {
    const std::string type = e["resource"]["resourceType"];
    if (type == "Composition" || type == "Patient" || type == "Device" || type == "Provenance") continue;
    INFO(e["fullUrl"]);
    CHECK_FALSE(sources_of[e["fullUrl"]].empty());
  }
  const std::string problems = (*section(bundle, "11450-4"))["entry"][0]["reference"];
  CHECK(sources_of[problems] == std::set<std::string>{"Clinic", "Hospital"});
  // The narrative says so too.
  CHECK((*section(bundle, "11450-4"))["text"]["div"].get<std::string>().find("(from Clinic, Hospital)") != std::string::npos);
}

TEST_CASE("the IPS names only the providers of its own entries", "[ips]") {
  // The second provider gave only a visit: shared with a tool, not written in an IPS.
  const chartlock::Record record = test::ingest_all(
      {{"Clinic", kClinic},
       {"Walk-in", test::bundle({R"({"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},"period":{"start":"2024-02-02"}})"})}});
  const chartlock::IpsDocument doc = chartlock::build_ips(record, request(kEverything));
  CHECK(doc.sources == std::vector<std::string>{"Clinic"});
  CHECK(doc.json.find("Walk-in") == std::string::npos);
  const json bundle = json::parse(doc.json);
  CHECK(count_type(bundle, "Provenance") == 1);
  CHECK(count_type(bundle, "Encounter") == 0);
  CHECK(composition(bundle)["text"]["div"].get<std::string>().find("From the records of: Clinic.") != std::string::npos);
  const chartlock::ShareContent share = chartlock::build_share(record, request(kEverything));
  CHECK(share.sources.size() == 2);  // the tool's share has the visit
}

TEST_CASE("IPS narrative lists each entry, escaped", "[ips]") {
  const json bundle = ips(kEverything);
  const std::string allergies = (*section(bundle, "48765-2"))["text"]["div"];
  CHECK(allergies.find("Peanuts &lt;&amp; &quot;shells&quot;&gt;") != std::string::npos);
  CHECK(allergies.find("criticality high") != std::string::npos);
  CHECK(allergies.find("reaction: Hives (moderate)") != std::string::npos);
  const std::string results = (*section(bundle, "30954-2"))["text"]["div"];
  CHECK(results.find("99 mg/dL; reference range 70 mg/dL to 99 mg/dL; 2024-01-01") != std::string::npos);
  CHECK((*section(bundle, "10160-0"))["text"]["div"].get<std::string>().find("lisinopril 10 MG Oral Tablet") != std::string::npos);
}

TEST_CASE("nothing outside the consent is in the IPS", "[ips]") {
  SECTION("a category left out: none of its resources, and its section goes (optional) or says withheld (required)") {
    const json bundle = ips(R"({"scopes":["patient/*.rs"],"categories":["patient","medications","allergies","immunizations","procedures","vitals"]})");
    INFO(ips_check::check(bundle).text());
    CHECK(ips_check::check(bundle).problems.empty());
    CHECK(count_type(bundle, "Condition") == 0);
    CHECK(section(bundle, "30954-2") == nullptr);
    CHECK(section(bundle, "11348-0") == nullptr);
    for (const json& e : bundle["entry"]) CHECK_FALSE(ips_check::has_category(e["resource"], "laboratory"));
    const json& problems = *section(bundle, "11450-4");
    CHECK_FALSE(problems.contains("entry"));
    CHECK(problems["emptyReason"]["coding"][0]["code"] == "withheld");
    CHECK(problems["emptyReason"]["coding"][0]["system"] == "http://terminology.hl7.org/CodeSystem/list-empty-reason");
    CHECK(problems["text"]["div"].get<std::string>().find("Not shared") != std::string::npos);
    CHECK(bundle.dump().find("Hypertension") == std::string::npos);
  }
  SECTION("a sensitive item stays out unless the patient turns its category on") {
    const std::string off = chartlock::build_ips(records(), request(kEverything)).json;
    CHECK(off.find("F33.1") == std::string::npos);
    CHECK(off.find("depress") == std::string::npos);
    // Kept back from a shared category: the section says some were not shared.
    const json bundle = json::parse(off);
    CHECK((*section(bundle, "11450-4"))["text"]["div"].get<std::string>().find("chose not to share some") != std::string::npos);
    const std::string on = chartlock::build_ips(records(), request(R"({"scopes":["patient/*.rs"],"sensitive":["mental-health"]})")).json;
    CHECK(on.find("F33.1") != std::string::npos);
  }
  SECTION("an item the patient removed stays out") {
    std::string key;
    for (const chartlock::ConsentItem& item : chartlock::consent_catalog(records())) {
      if (item.label.find("lisinopril") != std::string::npos || item.recorded.find("lisinopril") != std::string::npos) key = item.key;
    }
    REQUIRE_FALSE(key.empty());
    const json bundle = ips(R"({"scopes":["patient/*.rs"],"exclude":[")" + key + R"("]})");
    CHECK(bundle.dump().find("lisinopril") == std::string::npos);
    CHECK(count_type(bundle, "MedicationRequest") == 0);
    // Every medicine kept back: the required section says withheld, not "none recorded".
    CHECK((*section(bundle, "10160-0"))["emptyReason"]["coding"][0]["code"] == "withheld");
  }
  SECTION("the keys the patient was shown narrow it further") {
    chartlock::ShareRequest r = request(kEverything);
    r.keys.emplace();
    const std::string json_text = chartlock::build_ips(records(), r).json;
    const json bundle = json::parse(json_text);
    CHECK(ips_check::check(bundle).problems.empty());
    CHECK(bundle["entry"].size() == 3);  // Composition, Patient, Device
  }
  SECTION("a date range keeps what the share keeps") {
    const json bundle = ips(R"({"scopes":["patient/*.rs"],"from":"2020-01-01"})");
    CHECK(ips_check::check(bundle).problems.empty());
    CHECK(bundle.dump().find("Appendicitis") == std::string::npos);
    CHECK(bundle.dump().find("Hypertension") != std::string::npos);  // ongoing: kept
    CHECK(composition(bundle)["event"][0]["period"]["start"] == "2020-01-01");
  }
}

TEST_CASE("the IPS holds exactly the items a share with a tool holds for the same consent", "[ips]") {
  const chartlock::Record record = records();
  const chartlock::ShareContent share = chartlock::build_share(record, request(kEverything));
  const chartlock::IpsDocument doc = chartlock::build_ips(record, request(kEverything));
  // The IPS carries a subset (no visits, reports, notes, plans or goals): each of its items is in the share.
  for (const std::string& key : doc.keys) {
    INFO(key);
    CHECK(std::find(share.keys.begin(), share.keys.end(), key) != share.keys.end());
  }
  CHECK(doc.keys.size() == share.keys.size());  // this record has nothing the IPS leaves out
}

TEST_CASE("an empty required section is stated: no allergies recorded", "[ips]") {
  const chartlock::Record record = test::ingest_one(test::bundle({
      R"({"resourceType":"Patient","id":"p","name":[{"text":"Sam"}],"birthDate":"1990"})",
      R"({"resourceType":"Immunization","id":"i1","status":"completed","vaccineCode":{"text":"Flu"}})"}));
  const json bundle = ips(kEverything, record);
  INFO(ips_check::check(bundle).text());
  CHECK(ips_check::check(bundle).problems.empty());
  for (const char* code : {"11450-4", "48765-2", "10160-0"}) {
    const json& s = *section(bundle, code);
    CHECK(s["emptyReason"]["coding"][0]["code"] == "unavailable");
    CHECK(s["text"]["div"].get<std::string>().find("are recorded in the records the patient shared") != std::string::npos);
  }
  // Immunization without a date: occurrence[x] is required.
  CHECK(bundle["entry"][3]["resource"]["_occurrenceDateTime"]["extension"][0]["valueCode"] == "unknown");
}

TEST_CASE("the patient not shared: the required Patient says masked, and names nobody", "[ips]") {
  const json bundle = ips(R"({"scopes":["patient/*.rs"],"patient":false})");
  INFO(ips_check::check(bundle).text());
  CHECK(ips_check::check(bundle).problems.empty());
  const json& patient = bundle["entry"][1]["resource"];
  CHECK(patient["name"][0]["_text"]["extension"][0]["valueCode"] == "masked");
  CHECK(patient["_birthDate"]["extension"][0]["valueCode"] == "masked");
  CHECK(bundle.dump().find("Silva") == std::string::npos);
  CHECK(bundle.dump().find("1980") == std::string::npos);
}

TEST_CASE("no Patient in the records: the required Patient says unknown", "[ips]") {
  const chartlock::Record record = test::ingest_one(test::bundle({
      R"({"resourceType":"Condition","id":"c","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"text":"Asthma"}})"}));
  const json bundle = ips(kEverything, record);
  INFO(ips_check::check(bundle).text());
  CHECK(ips_check::check(bundle).problems.empty());
  const json& patient = bundle["entry"][1]["resource"];
  CHECK(patient["name"][0]["_text"]["extension"][0]["valueCode"] == "unknown");
  CHECK(patient["_birthDate"]["extension"][0]["valueCode"] == "unknown");
}

TEST_CASE("name and exact dates hidden: the IPS moves its dates like the share", "[ips]") {
  const json bundle = ips(R"({"scopes":["patient/*.rs"],"deidentify":{"shiftDays":10}})");
  CHECK(ips_check::check(bundle).problems.empty());
  CHECK(bundle["timestamp"] == "2025-06-11T00:00:00Z");
  CHECK(bundle["entry"][1]["resource"]["name"][0]["_text"]["extension"][0]["valueCode"] == "masked");
  CHECK(bundle["entry"][1]["resource"]["birthDate"] == "1980-02-13");
  CHECK(bundle.dump().find("Silva") == std::string::npos);
  CHECK(bundle.dump().find("2024-01-01") == std::string::npos);
  CHECK(bundle.dump().find("2024-01-11") != std::string::npos);
  CHECK(composition(bundle)["text"]["div"].get<std::string>().find("moved by the same number of days") != std::string::npos);
}

TEST_CASE("the IPS is deterministic and dated by today", "[ips]") {
  const chartlock::Record record = records();
  const std::string a = chartlock::build_ips(record, request(kEverything)).json;
  CHECK(a == chartlock::build_ips(records(), request(kEverything)).json);
  const std::string later = chartlock::build_ips(record, request(kEverything, "2025-06-02")).json;
  CHECK(a != later);
  CHECK(json::parse(a)["identifier"] != json::parse(later)["identifier"]);
  CHECK_THROWS_AS(chartlock::build_ips(record, request(kEverything, "")), std::invalid_argument);
  CHECK_THROWS_AS(chartlock::build_ips(record, request(kEverything, "June 1")), std::invalid_argument);
  chartlock::ShareRequest other = request(kEverything);
  other.person = "someone-else";
  CHECK_THROWS_AS(chartlock::build_ips(record, other), chartlock::WrongPerson);
}

TEST_CASE("fullUrls are urn:uuid names, unique, of RFC 9562 form", "[ips]") {
  const json bundle = ips(kEverything);
  std::set<std::string> urls;
  for (const json& e : bundle["entry"]) {
    const std::string url = e["fullUrl"];
    CHECK(url.size() == 45);
    CHECK(url.rfind("urn:uuid:", 0) == 0);
    CHECK(url[23] == '8');  // version 8
    CHECK(urls.insert(url).second);
  }
}
