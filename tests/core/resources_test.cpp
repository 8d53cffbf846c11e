// SPDX-License-Identifier: Apache-2.0
// Each modeled resource type, read field by field.
#include <catch2/catch.hpp>

#include "ingest_support.hpp"

using chartlock::DiagnosticCode;
using chartlock::ObservationValue;

TEST_CASE("Patient: official name, birth date, gender, address", "[ingest][resources]") {
  const auto r = test::ingest_one(R"({"resourceType":"Patient","id":"p","meta":{"lastUpdated":"2024-02-03T04:05:06Z"},
    "name":[{"use":"nickname","given":["Bo"]},{"use":"official","given":["Robert","James"],"family":"Núñez"}],
    "birthDate":"1961-07-04","gender":"male","deceasedBoolean":false,
    "address":[{"city":"Boston","state":"MA","postalCode":"02115","country":"US"},{"city":"Elsewhere"}]})");
  const auto& p = r.patient;
  CHECK(p.present);
  CHECK(p.key == "patient");
  CHECK(p.name == "Robert James Núñez");
  CHECK(p.family == "Núñez");
  CHECK(p.given == std::vector<std::string>{"Robert", "James"});
  CHECK(p.birthDate == "1961-07-04");
  CHECK(p.gender == "male");
  CHECK(p.deceased.empty());
  REQUIRE(p.address);
  CHECK(p.address->city == "Boston");
  CHECK(p.sources.at(0).lastUpdated() == "2024-02-03T04:05:06Z");
  CHECK(r.warnings.empty());
}

TEST_CASE("Patient: a name with only text, and deceasedDateTime", "[ingest][resources]") {
  const auto r = test::ingest_one(
      R"({"resourceType":"Patient","name":[{"text":"Ana Lima"}],"deceasedDateTime":"2020-03-01"})");
  CHECK(r.patient.name == "Ana Lima");
  CHECK(r.patient.deceased == "2020-03-01");
}

TEST_CASE("Condition: code, statuses, onset, abatement", "[ingest][resources]") {
  const auto r = test::ingest_one(R"({"resourceType":"Condition","id":"c",
    "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"resolved"}]},
    "verificationStatus":{"coding":[{"code":"confirmed"}]},
    "category":[{"coding":[{"code":"problem-list-item"}]}],
    "code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"J45.909"},{"system":"http://snomed.info/sct","code":"195967001","display":"Asthma"}],"text":"Asthma"},
    "onsetDateTime":"1996-06-27T14:10:09+00:00","abatementDateTime":"2013-06-10","recordedDate":"1996-06-28"})");
  REQUIRE(r.conditions.size() == 1);
  const auto& c = r.conditions[0];
  CHECK(c.clinicalStatus == "resolved");
  CHECK(c.verificationStatus == "confirmed");
  CHECK(chartlock::to_strings(c.category) == std::vector<std::string>{"problem-list-item"});
  CHECK(c.code.primary({chartlock::systems::snomed})->code == "195967001");
  CHECK(c.onset == "1996-06-27T14:10:09+00:00");
  CHECK(c.abatement == "2013-06-10");
  CHECK(c.recordedDate == "1996-06-28");
  CHECK(c.key.view().rfind("cond-", 0) == 0);
}

TEST_CASE("Condition: onset as age or string is kept as text", "[ingest][resources]") {
  const auto r = test::ingest_all({
      {"a", R"({"resourceType":"Condition","code":{"text":"A"},"onsetAge":{"value":42,"unit":"a"}})"},
      {"b", R"({"resourceType":"Condition","code":{"text":"B"},"onsetString":"in childhood"})"}});
  REQUIRE(r.conditions.size() == 2);
  CHECK(r.conditions[0].onsetText == "age 42 a");
  CHECK(r.conditions[1].onsetText == "in childhood");
}

TEST_CASE("Observation: quantity with range, interpretation, category", "[ingest][resources]") {
  const auto r = test::ingest_one(R"({"resourceType":"Observation","status":"final",
    "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
    "code":{"coding":[{"system":"http://loinc.org","code":"2345-7","display":"Glucose"}]},
    "effectiveDateTime":"2021-03-04T08:00:00-05:00","issued":"2021-03-04T15:00:00Z",
    "valueQuantity":{"value":142,"comparator":">","unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"},
    "referenceRange":[{"low":{"value":70,"unit":"mg/dL"},"high":{"value":99,"unit":"mg/dL"},"text":"70-99"}],
    "interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"H"}]}]})");
  REQUIRE(r.observations.size() == 1);
  const auto& o = r.observations[0];
  CHECK(o.status == "final");
  CHECK(chartlock::to_strings(o.category) == std::vector<std::string>{"laboratory"});
  CHECK(o.effective.start == "2021-03-04T08:00:00-05:00");
  CHECK(o.issued == "2021-03-04T15:00:00Z");
  CHECK(o.value.kind == ObservationValue::Kind::quantity);
  CHECK(o.value.quantity.value == Approx(142));
  CHECK(o.value.quantity.comparator == ">");
  CHECK(o.value.quantity.unit_key() == "mg/dL");
  REQUIRE(o.referenceRange.size() == 1);
  CHECK(o.referenceRange[0].low->value == Approx(70));
  CHECK(o.referenceRange[0].high->value == Approx(99));
  CHECK(o.referenceRange[0].text == "70-99");
  REQUIRE(o.interpretation.size() == 1);
  CHECK(o.interpretation[0].codings.at(0).code == "H");
}

TEST_CASE("Observation: blood pressure components", "[ingest][resources]") {
  const auto r = test::ingest_one(R"({"resourceType":"Observation","status":"final",
    "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"effectivePeriod":{"start":"2020-01-01T10:00:00Z","end":"2020-01-01T10:05:00Z"},
    "component":[
      {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":128,"unit":"mm[Hg]"}},
      {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":82,"unit":"mm[Hg]"}},
      {"valueQuantity":{"value":1}}]})");
  REQUIRE(r.observations.size() == 1);
  const auto& o = r.observations[0];
  CHECK(o.value.kind == ObservationValue::Kind::none);
  CHECK(o.effective.start == "2020-01-01T10:00:00Z");
  CHECK(o.effective.end == "2020-01-01T10:05:00Z");
  REQUIRE(o.components.size() == 2);
  CHECK(o.components[0].code.codings.at(0).code == "8480-6");
  CHECK(o.components[0].value.quantity.value == Approx(128));
  CHECK(o.components[1].value.quantity.value == Approx(82));
  CHECK(test::has_warning(r, DiagnosticCode::missing_required, "/component/2"));
}

TEST_CASE("Observation: every value[x] kind", "[ingest][resources]") {
  auto value_of = [](const std::string& value) {
    auto r = test::ingest_one(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},)" + value + "}");
    REQUIRE(r.observations.size() == 1);
    return r.observations[0].value;
  };
  using K = ObservationValue::Kind;
  auto v = value_of(R"("valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"260385009","display":"Negative"}]})");
  CHECK(v.kind == K::concept);
  CHECK(v.concept.label() == "Negative");
  v = value_of(R"("valueString":"trace")");
  CHECK((v.kind == K::string && v.text == "trace"));
  v = value_of(R"("valueBoolean":true)");
  CHECK((v.kind == K::boolean && v.boolean));
  v = value_of(R"("valueInteger":3)");
  CHECK((v.kind == K::integer && *v.quantity.value == 3));
  v = value_of(R"("valueRange":{"low":{"value":1},"high":{"value":2}})");
  CHECK((v.kind == K::range && *v.quantity.value == 1 && *v.high->value == 2));
  v = value_of(R"("valueRatio":{"numerator":{"value":1},"denominator":{"value":128}})");
  CHECK((v.kind == K::ratio && *v.high->value == 128));
  v = value_of(R"("valueTime":"10:00:00")");
  CHECK(v.kind == K::time);
  v = value_of(R"("valueDateTime":"2020-02-02")");
  CHECK((v.kind == K::date_time && v.text == "2020-02-02"));
  v = value_of(R"("valuePeriod":{"start":"2020-01-01","end":"2020-02-01"})");
  CHECK((v.kind == K::period && v.text == "2020-01-01/2020-02-01"));
  v = value_of(R"("valueSampledData":{"data":"1 2 3"})");
  CHECK(v.kind == K::other);
  v = value_of(R"("dataAbsentReason":{"text":"not asked"})");
  CHECK(v.kind == K::none);
}

TEST_CASE("Medication: codeable concept, contained and bundled Medication, display only", "[ingest][resources][references]") {
  const std::string json = test::bundle({
      R"({"resourceType":"MedicationRequest","id":"m1","status":"active","intent":"order","authoredOn":"2020-01-01",
          "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"860975","display":"metformin"}]},
          "dosageInstruction":[{"text":"500 mg twice a day"}],"reasonCode":[{"text":"diabetes"}]})",
      R"({"resourceType":"MedicationRequest","id":"m2","status":"active","intent":"order",
          "contained":[{"resourceType":"Medication","id":"med1","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"314076","display":"lisinopril 10 MG"}]}}],
          "medicationReference":{"reference":"#med1"}})",
      R"({"resourceType":"MedicationRequest","id":"m3","status":"stopped","intent":"order","medicationReference":{"reference":"Medication/atorva","display":"Lipitor"}})",
      R"({"resourceType":"Medication","id":"atorva","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"617312","display":"atorvastatin 20 MG"}]}})",
      R"({"resourceType":"MedicationStatement","id":"m4","status":"active","medicationReference":{"display":"Vitamin D"},"effectivePeriod":{"start":"2019-05-01"},"dosage":[{"text":"daily"}]})"});
  const auto r = test::ingest_one(json);
  INFO(test::warnings_text(r));
  CHECK(r.warnings.empty());
  REQUIRE(r.medications.size() == 4);
  CHECK(r.medications[0].kind == "request");
  CHECK(r.medications[0].code.codings.at(0).code == "860975");
  CHECK(r.medications[0].dosage == "500 mg twice a day");
  CHECK(r.medications[0].reasons.at(0).text == "diabetes");
  CHECK(r.medications[1].code.codings.at(0).code == "314076");
  CHECK(r.medications[2].code.codings.at(0).code == "617312");
  CHECK(r.medications[2].code.text == "Lipitor");  // the reference's display is kept
  CHECK(r.medications[2].status == "stopped");
  CHECK(r.medications[3].kind == "statement");
  CHECK(r.medications[3].code.text == "Vitamin D");
  CHECK(r.medications[3].effective.start == "2019-05-01");
  CHECK(r.medications[3].dosage == "daily");
  REQUIRE(r.other.size() == 1);
  CHECK(r.other[0].resourceType == "Medication");
}

TEST_CASE("Medication references that fail are reported", "[ingest][resources][references]") {
  const auto r = test::ingest_one(test::bundle({
      R"({"resourceType":"MedicationRequest","status":"active","intent":"order","medicationReference":{"reference":"#nope"}})",
      R"({"resourceType":"MedicationRequest","status":"active","intent":"order","medicationReference":{"reference":"Medication/missing"}})",
      R"({"resourceType":"MedicationRequest","status":"active","intent":"order","medicationReference":{"reference":"Patient/p"}})",
      R"({"resourceType":"Patient","id":"p"})",
      R"({"resourceType":"MedicationRequest","status":"active","intent":"order"})"}));
  INFO(test::warnings_text(r));
  CHECK(test::has_warning(r, DiagnosticCode::dangling_reference, "/entry/0/resource/medicationReference"));
  CHECK(test::has_warning(r, DiagnosticCode::dangling_reference, "/entry/1/resource/medicationReference"));
  CHECK(test::has_warning(r, DiagnosticCode::invalid_value, "/entry/2/resource/medicationReference"));
  CHECK(test::has_warning(r, DiagnosticCode::missing_required, "/entry/4/resource"));
  CHECK(r.medications.size() == 3);  // kept, with an unknown drug
  CHECK(r.counts.at("MedicationRequest") == 4);
}

TEST_CASE("AllergyIntolerance with reactions", "[ingest][resources]") {
  const auto r = test::ingest_one(R"({"resourceType":"AllergyIntolerance",
    "clinicalStatus":{"coding":[{"code":"active"}]},"verificationStatus":{"coding":[{"code":"confirmed"}]},
    "type":"allergy","category":["medication"],"criticality":"high",
    "code":{"coding":[{"system":"http://snomed.info/sct","code":"91936005","display":"Allergy to penicillin"}]},
    "recordedDate":"2010-01-01",
    "reaction":[{"manifestation":[{"coding":[{"system":"http://snomed.info/sct","code":"247472004","display":"Hives"}]}],"severity":"moderate"}]})");
  REQUIRE(r.allergies.size() == 1);
  const auto& a = r.allergies[0];
  CHECK(a.clinicalStatus == "active");
  CHECK(chartlock::to_strings(a.category) == std::vector<std::string>{"medication"});
  CHECK(a.criticality == "high");
  REQUIRE(a.reactions.size() == 1);
  CHECK(a.reactions[0].severity == "moderate");
  CHECK(a.reactions[0].manifestations.at(0).label() == "Hives");
}

TEST_CASE("Immunization, Procedure, Encounter, CarePlan, Goal", "[ingest][resources]") {
  const auto r = test::ingest_one(test::bundle({
      R"({"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},"occurrenceDateTime":"2019-10-01"})",
      R"({"resourceType":"Procedure","status":"completed","code":{"coding":[{"system":"http://snomed.info/sct","code":"73761001","display":"Colonoscopy"}]},"performedPeriod":{"start":"2018-01-01T09:00:00Z","end":"2018-01-01T10:00:00Z"}})",
      R"({"resourceType":"Encounter","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
          "type":[{"coding":[{"system":"http://snomed.info/sct","code":"185349003","display":"Check up"}]}],"period":{"start":"2018-01-01T09:00:00Z"},
          "reasonCode":[{"text":"annual"}],"serviceProvider":{"display":"Good Clinic"}})",
      R"({"resourceType":"CarePlan","status":"active","intent":"plan","category":[{"text":"Diabetes care"}],"period":{"start":"2019-01-01"},
          "activity":[{"detail":{"code":{"text":"Walk daily"}}},{"reference":{"reference":"ServiceRequest/1"}}]})",
      R"({"resourceType":"Goal","lifecycleStatus":"active","description":{"text":"HbA1c below 7%"},"startDate":"2019-01-01","target":[{"dueDate":"2019-12-31"}]})"}));
  INFO(test::warnings_text(r));
  CHECK(r.warnings.empty());
  REQUIRE(r.immunizations.size() == 1);
  CHECK(r.immunizations[0].occurrence == "2019-10-01");
  REQUIRE(r.procedures.size() == 1);
  CHECK(r.procedures[0].performed.end == "2018-01-01T10:00:00Z");
  REQUIRE(r.encounters.size() == 1);
  CHECK(r.encounters[0].encounterClass.code == "AMB");
  CHECK(r.encounters[0].type.label() == "Check up");
  CHECK(r.encounters[0].serviceProvider == "Good Clinic");
  CHECK(r.encounters[0].reasons.at(0).text == "annual");
  REQUIRE(r.carePlans.size() == 1);
  CHECK(r.carePlans[0].activities.size() == 1);
  REQUIRE(r.goals.size() == 1);
  CHECK(r.goals[0].targetDates == std::vector<std::string>{"2019-12-31"});
}

TEST_CASE("DocumentReference: inline text decoded, binary and bad data kept raw", "[ingest][resources][notes]") {
  // "Seen for a cough.\nRest and fluids." in base64, with a line break inside.
  const auto r = test::ingest_one(test::bundle({
      R"({"resourceType":"DocumentReference","status":"current","type":{"coding":[{"system":"http://loinc.org","code":"11506-3"}]},"date":"2020-01-01T00:00:00Z",
          "content":[{"attachment":{"contentType":"text/plain; charset=utf-8","data":"U2VlbiBmb3IgYSBjb3Vn\naC4KUmVzdCBhbmQgZmx1aWRzLg=="}},
                     {"attachment":{"contentType":"application/pdf","data":"JVBERi0=","size":5}},
                     {"attachment":{"contentType":"text/plain","data":"!!!not base64"}},
                     {"attachment":{"contentType":"text/plain","data":"/w=="}},
                     {"attachment":{"contentType":"text/html","url":"https://example.org/note/1"}}]})",
      R"({"resourceType":"DocumentReference","status":"current"})"}));
  REQUIRE(r.documents.size() == 1);
  const auto& atts = r.documents[0].attachments;
  REQUIRE(atts.size() == 5);
  CHECK(atts[0].text == "Seen for a cough.\nRest and fluids.");
  CHECK((atts[1].hasBinary && atts[1].text.empty() && *atts[1].size == 5));
  CHECK(atts[2].hasBinary);
  // Decodes to 0xFF: not UTF-8, so read as Windows-1252, and said so.
  CHECK((!atts[3].hasBinary && atts[3].text == "\xC3\xBF" && atts[3].note == "not UTF-8; read as Windows-1252"));
  CHECK(atts[4].url == "https://example.org/note/1");
  CHECK(test::has_warning(r, DiagnosticCode::invalid_value, "/entry/0/resource/content/2/attachment/data"));
  CHECK(test::has_warning(r, DiagnosticCode::invalid_value, "/entry/0/resource/content/3/attachment/data"));
  CHECK(test::has_warning(r, DiagnosticCode::missing_required, "/entry/1/resource"));
  CHECK(r.other.size() == 1);
}

TEST_CASE("resources missing their defining element are kept raw, with a warning", "[ingest][resources]") {
  const auto r = test::ingest_one(test::bundle({
      R"({"resourceType":"Observation","status":"final"})",
      R"({"resourceType":"Condition"})",
      R"({"resourceType":"Immunization","status":"completed"})",
      R"({"resourceType":"Procedure","status":"completed"})",
      R"({"resourceType":"DiagnosticReport","status":"final"})",
      R"({"resourceType":"Goal","lifecycleStatus":"active"})",
      R"({"resourceType":"AllergyIntolerance"})"}));
  CHECK(r.other.size() == 7);
  for (int i = 0; i < 7; ++i) {
    CHECK(test::has_warning(r, DiagnosticCode::missing_required,
                            "/entry/" + std::to_string(i) + "/resource"));
  }
  CHECK(r.observations.empty());
}

TEST_CASE("wrong JSON types are warned at their pointer and the field is ignored", "[ingest][resources]") {
  const auto r = test::ingest_one(test::bundle({
      R"({"resourceType":"Observation","status":7,"code":{"coding":{"code":"x"},"text":"t"},
          "category":"laboratory","effectiveDateTime":20200101,"valueQuantity":{"value":"5","unit":3},
          "referenceRange":[{"low":{"value":true}}],"interpretation":[1]})",
      R"({"resourceType":"Patient","name":"Bob","birthDate":["1970"],"gender":null})"}));
  INFO(test::warnings_text(r));
  const std::string o = "/entry/0/resource";
  CHECK(test::has_warning(r, DiagnosticCode::wrong_type, o + "/status"));
  CHECK(test::has_warning(r, DiagnosticCode::wrong_type, o + "/code/coding"));
  CHECK(test::has_warning(r, DiagnosticCode::wrong_type, o + "/category"));
  CHECK(test::has_warning(r, DiagnosticCode::wrong_type, o + "/effectiveDateTime"));
  CHECK(test::has_warning(r, DiagnosticCode::wrong_type, o + "/valueQuantity/value"));
  CHECK(test::has_warning(r, DiagnosticCode::wrong_type, o + "/valueQuantity/unit"));
  CHECK(test::has_warning(r, DiagnosticCode::wrong_type, o + "/referenceRange/0/low/value"));
  CHECK(test::has_warning(r, DiagnosticCode::wrong_type, o + "/interpretation/0"));
  CHECK(test::has_warning(r, DiagnosticCode::wrong_type, "/entry/1/resource/name"));
  CHECK(test::has_warning(r, DiagnosticCode::wrong_type, "/entry/1/resource/birthDate"));
  // null is treated as absent, quietly.
  CHECK_FALSE(test::has_warning(r, DiagnosticCode::wrong_type, "/entry/1/resource/gender"));
  REQUIRE(r.observations.size() == 1);
  CHECK(r.observations[0].code.text == "t");
  CHECK(r.observations[0].status.empty());
  CHECK(r.patient.present);
}

TEST_CASE("invalid dates are kept as written, with a warning", "[ingest][resources]") {
  const auto r = test::ingest_one(R"({"resourceType":"Patient","birthDate":"07/04/1961"})");
  CHECK(r.patient.birthDate == "07/04/1961");
  CHECK(test::has_warning(r, DiagnosticCode::invalid_value, "/birthDate"));
}

TEST_CASE("warnings per source are capped", "[ingest][limits]") {
  std::vector<std::string> resources(1500, R"({"resourceType":"Condition","code":{"text":"x"},"onsetDateTime":1})");
  const auto r = test::ingest_one(test::bundle(resources));
  CHECK(r.warnings.size() == 1001);
  CHECK_THAT(r.warnings.back().message, Catch::Contains("500 more warnings"));
}
