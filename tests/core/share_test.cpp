// SPDX-License-Identifier: Apache-2.0
// The consent catalog (what can be shared, with sensitive categories) and the
// share built from exactly the items consented to.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "chartlock/share.hpp"
#include "ingest_support.hpp"

using chartlock::ConsentItem;
using json = nlohmann::json;

namespace {

const std::string kRecords = test::bundle({
    R"({"resourceType":"Patient","id":"p1","name":[{"given":["Ana"],"family":"Silva"}],"gender":"female","birthDate":"1980-02-03",
        "address":[{"line":["1 Secret St"],"city":"Springfield"}],"telecom":[{"system":"phone","value":"555-0100"}],
        "identifier":[{"system":"urn:mrn","value":"MRN-12345"}]})",
    R"({"resourceType":"Condition","id":"c1","code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}]},"onsetDateTime":"2015-01-01"})",
    R"({"resourceType":"Condition","id":"c2","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"F33.1","display":"Major depressive disorder, recurrent, moderate"}]},"onsetDateTime":"2019-01-01"})",
    R"({"resourceType":"Condition","id":"c3","code":{"text":"Alcohol dependence"},"onsetDateTime":"2018-01-01"})",
    R"({"resourceType":"Observation","id":"o1","status":"final","category":[{"coding":[{"code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"2345-7","display":"Glucose"}]},"effectiveDateTime":"2024-01-01","valueQuantity":{"value":99,"unit":"mg/dL","code":"mg/dL"}})",
    R"({"resourceType":"Observation","id":"o2","status":"final","category":[{"coding":[{"code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"2106-3","display":"Choriogonadotropin (pregnancy test) [Presence] in Urine"}]},"effectiveDateTime":"2024-02-01","valueString":"negative"})",
    R"({"resourceType":"Observation","id":"o3","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},"effectiveDateTime":"2024-01-01","valueQuantity":{"value":70,"unit":"/min"}})",
    R"({"resourceType":"MedicationRequest","id":"m1","status":"active","intent":"order","medicationReference":{"reference":"Medication/sert"},"authoredOn":"2019-02-01"})",
    R"({"resourceType":"Medication","id":"sert","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"312938","display":"sertraline 50 MG Oral Tablet"}]}})",
    R"({"resourceType":"MedicationRequest","id":"m2","status":"active","intent":"order","medicationCodeableConcept":{"text":"lisinopril 10 MG Oral Tablet"},"authoredOn":"2015-01-02"})"});

chartlock::Record read(bool raw = true) {
  chartlock::IngestOptions o;
  o.keep_raw = raw;
  return test::ingest_one(kRecords, "clinic", o);
}

// The item whose plain label, or whose recorded words, start with `prefix`.
const ConsentItem& by_label(const std::vector<ConsentItem>& items, const std::string& prefix) {
  auto it = std::find_if(items.begin(), items.end(), [&](const ConsentItem& c) {
    return c.label.rfind(prefix, 0) == 0 || c.recorded.rfind(prefix, 0) == 0;
  });
  REQUIRE(it != items.end());
  return *it;
}

}  // namespace

TEST_CASE("the consent catalog lists every shareable item by category", "[share]") {
  const auto items = chartlock::consent_catalog(read());
  CHECK(items.size() == 8);  // 3 conditions, 3 observations, 2 medications
  CHECK(by_label(items, "Glucose").category == chartlock::Category::labs);
  CHECK(by_label(items, "Heart rate").category == chartlock::Category::vitals);
  CHECK(by_label(items, "Hypertension").category == chartlock::Category::conditions);
  CHECK(by_label(items, "Hypertension").date == "2015-01-01");
  CHECK(by_label(items, "Hypertension").sources == std::vector<std::string>{"clinic"});
  CHECK(by_label(items, "sertraline").category == chartlock::Category::medications);
  CHECK(by_label(items, "sertraline").resourceType == "MedicationRequest");
}

TEST_CASE("consent labels are the knowledge base's plain names, with the record's words kept", "[share]") {
  const auto items = chartlock::consent_catalog(read());
  const ConsentItem& glucose = by_label(items, "Glucose");
  CHECK(glucose.recorded.empty());  // the record already said it plainly
  const ConsentItem& hcg = by_label(items, "Choriogonadotropin");  // a code the knowledge base does not know
  // Without LOINC's long form, as the summary names it; the record's words kept beside.
  CHECK(hcg.label == "Choriogonadotropin (pregnancy test)");
  CHECK(hcg.recorded == "Choriogonadotropin (pregnancy test) [Presence] in Urine");
  const ConsentItem& bp = by_label(items, "Hypertension");
  CHECK(bp.recorded == "Hypertension");
  CHECK(bp.label == "High blood pressure");
  const ConsentItem& sert = by_label(items, "sertraline");
  CHECK(sert.label == "sertraline 50 MG Oral Tablet");  // medicines keep their own names
  CHECK(sert.recorded.empty());
  const auto j = chartlock::to_json(items);
  CHECK(j[0].contains("recorded"));
}

TEST_CASE("sensitive categories are recognised by code, class and words", "[share]") {
  const auto items = chartlock::consent_catalog(read());
  using V = std::vector<std::string>;
  CHECK(by_label(items, "Major depressive").sensitive == V{"mental-health"});    // ICD-10 F33
  CHECK(by_label(items, "Alcohol dependence").sensitive == V{"substance-use"});  // words
  CHECK(by_label(items, "Choriogonadotropin").sensitive == V{"reproductive-sexual-health"});  // LOINC
  CHECK(by_label(items, "sertraline").sensitive == V{"mental-health"});          // SSRI class
  CHECK(by_label(items, "Hypertension").sensitive.empty());
  CHECK(by_label(items, "Glucose").sensitive.empty());
  CHECK(by_label(items, "lisinopril").sensitive.empty());
}

TEST_CASE("a whole word matches whole: HIV is sensitive, hives is not", "[share]") {
  const chartlock::Record r = test::ingest_one(test::bundle({
      R"({"resourceType":"AllergyIntolerance","id":"a1","code":{"text":"Penicillin"},"reaction":[{"manifestation":[{"text":"Hives"}]}]})",
      R"({"resourceType":"Condition","id":"c1","code":{"text":"HIV-1 infection"}})"}));
  const auto items = chartlock::consent_catalog(r);
  CHECK(by_label(items, "Penicillin").sensitive.empty());
  CHECK(by_label(items, "HIV").sensitive == std::vector<std::string>{"reproductive-sexual-health"});
}

// The share's two content parts.
struct Parts {
  json records;
  std::string summary;
};

Parts parts_of(const chartlock::ShareContent& share) {
  REQUIRE(share.parts.size() == 2);
  CHECK(share.parts[0].name == "records.json");
  CHECK(share.parts[1].name == "summary.md");
  return {json::parse(share.parts[0].text), share.parts[1].text};
}

TEST_CASE("a share holds exactly the consented items, rebuilt and minimized", "[share]") {
  const chartlock::Record r = read();
  const auto items = chartlock::consent_catalog(r);
  chartlock::ShareRequest req;
  req.consent = chartlock::default_consent({"patient/*.rs"});
  req.consent.sensitive = {"mental-health"};  // the antidepressant may go; the depression is excluded by the patient
  req.consent.exclude = {by_label(items, "Major depressive").key};
  req.keys = std::set<std::string>{by_label(items, "Hypertension").key, by_label(items, "Glucose").key,
                                   by_label(items, "sertraline").key, "cond-0000000000000000"};
  req.today = "2025-01-01";
  const auto share = chartlock::build_share(r, req);
  const Parts p = parts_of(share);
  CHECK(p.records["type"] == "collection");
  REQUIRE(p.records["entry"].size() == 4);
  std::vector<std::string> ids;
  for (const json& e : p.records["entry"]) ids.push_back(e["resource"]["id"]);
  CHECK(ids == std::vector<std::string>{"patient", by_label(items, "Hypertension").key, by_label(items, "Glucose").key,
                                        by_label(items, "sertraline").key});
  const json& patient = p.records["entry"][0]["resource"];
  CHECK(patient["birthDate"] == "1980-02-03");
  CHECK_FALSE(patient.contains("address"));
  CHECK_FALSE(patient.contains("telecom"));
  CHECK_FALSE(patient.contains("identifier"));
  const json& cond = p.records["entry"][1]["resource"];
  CHECK(cond["subject"]["reference"] == "Patient/patient");
  CHECK(cond["onsetDateTime"] == "2015-01-01");
  const json& med = p.records["entry"][3]["resource"];
  CHECK_FALSE(med.contains("medicationReference"));
  CHECK(med["medicationCodeableConcept"]["coding"][0]["code"] == "312938");
  CHECK(share.counts.at("Condition") == 1);
  CHECK(share.counts.at("Patient") == 1);
  REQUIRE(share.refused.size() == 1);
  CHECK(share.refused[0].key == "cond-0000000000000000");
  CHECK(share.refused[0].why == chartlock::Refusal::not_in_record);
  const std::string all = p.records.dump() + p.summary;
  CHECK(all.find("MRN-12345") == std::string::npos);
  CHECK(all.find("Secret St") == std::string::npos);
  CHECK(all.find("Major depressive") == std::string::npos);
  CHECK(p.summary.find("Ana Silva") != std::string::npos);
  CHECK(p.summary.find("epressive disorder") == std::string::npos);  // the condition was not shared
  CHECK(p.summary.find("antidepressant") != std::string::npos);      // the medicine was
  CHECK(p.summary.find("Alcohol") == std::string::npos);
}

TEST_CASE("each shared item names the providers that reported it, and nothing else of meta", "[share]") {
  const std::string a = test::bundle({
      R"({"resourceType":"Condition","id":"c1","meta":{"versionId":"7","security":[{"code":"N"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}]},"onsetDateTime":"2015-01-01"})",
      R"({"resourceType":"Condition","id":"c9","code":{"coding":[{"system":"http://snomed.info/sct","code":"195967001","display":"Asthma"}]},"onsetDateTime":"2001-01-01"})"});
  const std::string b = test::bundle({
      R"({"resourceType":"Condition","id":"x1","code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}]},"onsetDateTime":"2015-01-01"})"});
  const chartlock::Record r = test::ingest_all({{"/tmp/in/clinic-a.json", a}, {"clinic-b.json", b}});
  chartlock::ShareRequest req;
  req.consent = chartlock::default_consent({"patient/Condition.rs"});
  const Parts p = parts_of(chartlock::build_share(r, req));
  std::map<std::string, std::vector<std::string>> sources;  // condition → the providers its tags name
  for (const json& e : p.records["entry"]) {
    const json& res = e["resource"];
    REQUIRE(res.contains("meta"));
    CHECK(res["meta"].size() == 1);  // tags alone: no versionId, no security labels
    for (const json& t : res["meta"]["tag"]) {
      CHECK(t["system"] == "urn:chartlock:source");
      sources[res["code"]["coding"][0]["display"]].push_back(t["display"]);
    }
  }
  CHECK(sources["Hypertension"] == std::vector<std::string>{"clinic-a.json", "clinic-b.json"});  // merged: both
  CHECK(sources["Asthma"] == std::vector<std::string>{"clinic-a.json"});
}

TEST_CASE("a share can leave the patient out", "[share]") {
  const chartlock::Record r = read(false);  // shares need nothing of the input's JSON
  chartlock::ShareRequest req;
  req.consent = chartlock::default_consent({"patient/Condition.rs", "patient/Patient.rs"});
  req.consent.categories.erase(chartlock::Category::patient);
  const auto share = chartlock::build_share(r, req);
  const Parts p = parts_of(share);
  CHECK_FALSE(share.patient);
  REQUIRE(p.records["entry"].size() == 1);  // the hypertension: the other two are sensitive
  CHECK(p.records["entry"][0]["resource"]["resourceType"] == "Condition");
  CHECK((p.records.dump() + p.summary).find("Silva") == std::string::npos);
  CHECK((p.records.dump() + p.summary).find("1980") == std::string::npos);
}

TEST_CASE("results are filed as the summary files them: a known lab code without a category is a lab", "[share]") {
  const chartlock::Record r = test::ingest_one(test::bundle({
      R"({"resourceType":"Observation","id":"a1c","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"4548-4"}]},"valueQuantity":{"value":6.1,"unit":"%"}})",
      R"({"resourceType":"Observation","id":"smoke","status":"final","category":[{"coding":[{"code":"social-history"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"72166-2"}]}})",
      R"({"resourceType":"Observation","id":"pulse","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"valueQuantity":{"value":60,"unit":"/min"}})"}));
  std::map<std::string, chartlock::Category> by_id;
  const auto items = chartlock::consent_catalog(r);
  for (std::size_t i = 0; i < items.size(); ++i) by_id[std::string(r.observations[i].sources.front().id())] = items[i].category;
  CHECK(by_id.at("a1c") == chartlock::Category::labs);
  CHECK(by_id.at("pulse") == chartlock::Category::vitals);
  CHECK(by_id.at("smoke") == chartlock::Category::socialHistory);
}
