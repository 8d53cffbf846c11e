// The consent catalog (what can be shared, with sensitive categories) and the
// share built from exactly the items consented to.
#include <catch2/catch.hpp>

#include <algorithm>

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
  CHECK(by_label(items, "Glucose").category == "labs");
  CHECK(by_label(items, "Heart rate").category == "vitals");
  CHECK(by_label(items, "Hypertension").category == "conditions");
  CHECK(by_label(items, "Hypertension").date == "2015-01-01");
  CHECK(by_label(items, "Hypertension").sources == std::vector<std::string>{"clinic"});
  CHECK(by_label(items, "sertraline").category == "medications");
  CHECK(by_label(items, "sertraline").resourceType == "MedicationRequest");
}

TEST_CASE("consent labels are the knowledge base's plain names, with the record's words kept", "[share]") {
  const auto items = chartlock::consent_catalog(read());
  const ConsentItem& glucose = by_label(items, "Glucose");
  CHECK(glucose.recorded.empty());  // the record already said it plainly
  const ConsentItem& hcg = by_label(items, "Choriogonadotropin");  // a code the knowledge base does not know
  CHECK(hcg.label == "Choriogonadotropin (pregnancy test) [Presence] in Urine");
  CHECK(hcg.recorded.empty());
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

TEST_CASE("a share holds exactly the consented items, minimized", "[share]") {
  const chartlock::Record r = read();
  const auto items = chartlock::consent_catalog(r);
  chartlock::ShareSelection sel;
  sel.keys = {by_label(items, "Hypertension").key, by_label(items, "Glucose").key, by_label(items, "sertraline").key,
              "cond-0000000000000000"};
  chartlock::SummaryOptions so;
  so.today = "2025-01-01";
  const auto share = chartlock::build_share(r, sel, so);
  const json bundle = json::parse(share.fhir_bundle);
  CHECK(bundle["type"] == "collection");
  REQUIRE(bundle["entry"].size() == 4);
  std::vector<std::string> ids;
  for (const json& e : bundle["entry"]) ids.push_back(e["resource"]["id"]);
  CHECK(ids == std::vector<std::string>{"p1", "c1", "o1", "m1"});
  const json& patient = bundle["entry"][0]["resource"];
  CHECK(patient["birthDate"] == "1980-02-03");
  CHECK_FALSE(patient.contains("address"));
  CHECK_FALSE(patient.contains("telecom"));
  CHECK_FALSE(patient.contains("identifier"));
  const json& med = bundle["entry"][3]["resource"];
  CHECK_FALSE(med.contains("medicationReference"));
  CHECK(med["medicationCodeableConcept"]["coding"][0]["code"] == "312938");
  CHECK(share.counts.at("Condition") == 1);
  CHECK(share.counts.at("Patient") == 1);
  CHECK(share.missing == std::vector<std::string>{"cond-0000000000000000"});
  CHECK(share.fhir_bundle.find("MRN-12345") == std::string::npos);
  CHECK(share.fhir_bundle.find("Major depressive") == std::string::npos);
  CHECK(share.summary_markdown.find("Ana Silva") != std::string::npos);
  CHECK(share.summary_markdown.find("epressive disorder") == std::string::npos);  // the condition was not shared
  CHECK(share.summary_markdown.find("antidepressant") != std::string::npos);      // the medicine was
  CHECK(share.summary_markdown.find("Alcohol") == std::string::npos);
}

TEST_CASE("a share can leave the patient out, and needs the original resources", "[share]") {
  const chartlock::Record r = read();
  chartlock::ShareSelection sel;
  sel.include_patient = false;
  sel.keys = {chartlock::consent_catalog(r).front().key};
  const json bundle = json::parse(chartlock::build_share(r, sel, {}).fhir_bundle);
  REQUIRE(bundle["entry"].size() == 1);
  CHECK(bundle["entry"][0]["resource"]["resourceType"] != "Patient");
  sel.keys = {chartlock::consent_catalog(read(false)).front().key};
  CHECK_THROWS_AS(chartlock::build_share(read(false), sel, {}), std::invalid_argument);
}
