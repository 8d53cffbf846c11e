// SPDX-License-Identifier: Apache-2.0
// The timeline and "where each item came from": a small two-provider record
// whose events, their order and their sources are known by construction.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "chartlock/summary.hpp"
#include "chartlock/summary_json.hpp"
#include "chartlock/summary_markdown.hpp"
#include "ingest_support.hpp"

using chartlock::Summary;
using chartlock::TimelineEvent;
using Strings = std::vector<std::string>;

namespace {

const std::string kLab =
    R"j("category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}])j";

std::string lab(const std::string& id, const std::string& loinc, const std::string& when, double value,
                const std::string& unit) {
  std::string effective = when.empty() ? "" : R"j("effectiveDateTime":")j" + when + "\",";
  return R"j({"resourceType":"Observation","id":")j" + id + R"j(","status":"final",)j" + kLab +
         R"j(,"code":{"coding":[{"system":"http://loinc.org","code":")j" + loinc + "\"}]}," + effective +
         R"j("valueQuantity":{"value":)j" + std::to_string(value) + R"j(,"unit":")j" + unit +
         R"j(","system":"http://unitsofmeasure.org","code":")j" + unit + "\"}}";
}

const std::string kPatient =
    R"j({"resourceType":"Patient","id":"p","name":[{"given":["Rosa"],"family":"Diaz"}],"gender":"female","birthDate":"1970-01-15"})j";

// Both providers report it, identically: one item with two sources.
const std::string kDiabetes =
    R"j({"resourceType":"Condition","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes mellitus type 2 (disorder)"}]},"onsetDateTime":"2015-01-01"})j";

std::string clinic_a() {
  return test::bundle({
      kPatient,
      kDiabetes,
      R"j({"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},"type":[{"text":"Encounter for check up"}],"period":{"start":"2024-03-05T09:00:00Z"},"reasonCode":[{"text":"Hypertension"}],"serviceProvider":{"display":"Clinic A"}})j",
      R"j({"resourceType":"Encounter","status":"entered-in-error","class":{"code":"AMB"},"period":{"start":"2024-04-01"}})j",
      R"j({"resourceType":"Condition","clinicalStatus":{"coding":[{"code":"resolved"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"444814009","display":"Viral sinusitis (disorder)"}]},"onsetDateTime":"2020-02-01","abatementDateTime":"2020-02-15"})j",
      // No date at all: listed, but not on the timeline.
      R"j({"resourceType":"Condition","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"text":"Back pain"}})j",
      R"j({"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},"occurrenceDateTime":"2023-10-01"})j",
      R"j({"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"115"}]}})j",
      R"j({"resourceType":"Procedure","status":"completed","code":{"coding":[{"system":"http://snomed.info/sct","code":"73761001","display":"Colonoscopy (procedure)"}]},"performedDateTime":"2024-03-05"})j",
      R"j({"resourceType":"MedicationStatement","status":"completed","medicationCodeableConcept":{"text":"Metformin 500 mg"},"effectivePeriod":{"start":"2015-01-10","end":"2016-01-10"}})j",
      R"j({"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"text":"Lisinopril 10 mg"},"authoredOn":"2024-03-05"})j",
      R"j({"resourceType":"AllergyIntolerance","code":{"text":"Penicillin"},"recordedDate":"2010-05-01"})j",
      // A report, with a result and a panel whose member is a result.
      R"j({"resourceType":"DiagnosticReport","id":"r1","status":"final","code":{"text":"Diabetes check"},"effectiveDateTime":"2024-03-05","result":[{"reference":"Observation/g1"},{"reference":"Observation/panel"}]})j",
      R"j({"resourceType":"Observation","id":"panel","status":"final",)j" + kLab +
          R"j(,"code":{"text":"Diabetes panel"},"effectiveDateTime":"2024-03-05","hasMember":[{"reference":"Observation/a1"}]})j",
      lab("g1", "2345-7", "2024-03-05", 110, "mg/dL"),
      lab("a1", "4548-4", "2024-03-05", 6.8, "%"),
      // A report without lab results.
      R"j({"resourceType":"DiagnosticReport","status":"final","code":{"text":"History and physical note"},"effectiveDateTime":"2019-04-04"})j",
      // Results no report holds: one event per day, each test named once.
      lab("g2", "2345-7", "2023-06-01T08:00:00Z", 85, "mg/dL"),
      lab("h2", "718-7", "2023-06-01T08:00:00Z", 13.5, "g/dL"),
      lab("g3", "2345-7", "2022-01-01T08:00:00Z", 90, "mg/dL"),
      lab("g4", "2345-7", "2022-01-01T17:00:00Z", 95, "mg/dL"),
      lab("g5", "2345-7", "", 100, "mg/dL"),  // undated: in the lab's history only
  });
}

std::string clinic_b() {
  return test::bundle({
      kPatient,
      kDiabetes,
      R"j({"resourceType":"Encounter","status":"finished","class":{"code":"EMER"},"period":{"start":"2025-01-10T22:00:00Z"},"serviceProvider":{"display":"Clinic B"}})j",
      lab("k1", "2823-3", "2023-06-01T10:00:00Z", 4.0, "mmol/L"),
  });
}

Summary two_providers() {
  return chartlock::summarize(test::ingest_all({{"clinic-a", clinic_a()}, {"clinic-b", clinic_b()}}),
                              chartlock::SummaryOptions{"2025-06-01"});
}

Strings texts(const std::vector<TimelineEvent>& events) {
  Strings out;
  for (const TimelineEvent& e : events) out.push_back(e.date + " " + e.kind + " " + e.text);
  return out;
}

const TimelineEvent& find(const std::vector<TimelineEvent>& events, const std::string& kind, const std::string& date) {
  for (const TimelineEvent& e : events) {
    if (e.kind == kind && e.date == date) return e;
  }
  FAIL("no " << kind << " event on " << date);
  throw;
}

}  // namespace

TEST_CASE("the timeline: every dated event, newest first, labs per report or per day", "[summary][timeline]") {
  const Summary s = two_providers();
  CHECK(texts(s.timeline) == Strings{
      "2025-01-10 visit Emergency visit at Clinic B",
      "2024-03-05 visit Check-up visit (office visit) for hypertension at Clinic A",
      "2024-03-05 lab-report Diabetes check: Glucose and Hemoglobin A1c; flagged: Glucose high and Hemoglobin A1c high",
      "2024-03-05 procedure Procedure: Colonoscopy",
      "2024-03-05 medication-started Medicine prescribed: Lisinopril 10 mg",
      "2023-10-01 immunization Vaccine: Flu shot",
      "2023-06-01 lab-results Lab results: Hemoglobin, Glucose and Potassium",  // in the labs list's order
      "2022-01-01 lab-results Lab results: Glucose",
      "2020-02-15 condition-resolved Condition resolved: Sinus infection (viral)",
      "2020-02-01 condition-onset Condition began: Sinus infection (viral)",
      "2019-04-04 report Report: History and physical note",
      "2016-01-10 medication-stopped Medicine stopped: Metformin 500 mg",
      "2015-01-10 medication-started Medicine started: Metformin 500 mg",
      "2015-01-01 condition-onset Condition began: Type 2 diabetes",
      "2010-05-01 allergy Allergy recorded: Penicillin",
  });
}

TEST_CASE("timeline events name their sources and the items they rest on", "[summary][timeline]") {
  const Summary s = two_providers();

  // The condition both providers reported shows both.
  const TimelineEvent& diabetes = find(s.timeline, "condition-onset", "2015-01-01");
  CHECK(diabetes.sources == Strings{"clinic-a", "clinic-b"});
  REQUIRE(diabetes.keys.size() == 1);
  REQUIRE(!s.active_conditions.empty());
  CHECK(s.active_conditions[0].plain == "Type 2 diabetes");
  CHECK(diabetes.keys[0] == s.active_conditions[0].key);

  // A day's results from two providers: one event, both sources, every result's key.
  const TimelineEvent& day = find(s.timeline, "lab-results", "2023-06-01");
  CHECK(day.sources == Strings{"clinic-a", "clinic-b"});
  CHECK(day.keys.size() == 3);
  const TimelineEvent& twice = find(s.timeline, "lab-results", "2022-01-01");
  CHECK(twice.keys.size() == 2);  // two glucose values, named once
  CHECK(twice.sources == Strings{"clinic-a"});

  // The report: its own key first, then its results (the panel's member included).
  const TimelineEvent& report = find(s.timeline, "lab-report", "2024-03-05");
  CHECK(report.keys.size() == 3);
  CHECK(report.keys[0].view().rfind("report-", 0) == 0);
  CHECK(report.keys[1].view().rfind("obs-", 0) == 0);

  CHECK(find(s.timeline, "visit", "2025-01-10").sources == Strings{"clinic-b"});
  CHECK(find(s.timeline, "visit", "2024-03-05").sources == Strings{"clinic-a"});

  // Every lab value is accounted for exactly once, except the undated one.
  std::size_t lab_keys = 0;
  for (const TimelineEvent& e : s.timeline) {
    if (e.kind == "lab-results") lab_keys += e.keys.size();
    if (e.kind == "lab-report") lab_keys += e.keys.size() - 1;
  }
  std::size_t lab_values = 0;
  for (const chartlock::LabSeries& l : s.labs) lab_values += l.history.size();
  CHECK(lab_values == 8);
  CHECK(lab_keys == 7);
}

TEST_CASE("undated items stay in their lists but not on the timeline", "[summary][timeline]") {
  const Summary s = two_providers();
  bool back_pain_listed = false;
  for (const auto& c : s.active_conditions) back_pain_listed |= c.plain == "Back pain";
  CHECK(back_pain_listed);
  CHECK(s.immunizations.size() == 2);
  for (const TimelineEvent& e : s.timeline) {
    CHECK(!e.date.empty());
    CHECK(e.text.find("Back pain") == std::string::npos);
    CHECK((e.kind != "immunization" || e.date == "2023-10-01"));
  }
}

TEST_CASE("every listed item says where it came from", "[summary][sources]") {
  const Summary s = two_providers();
  REQUIRE(s.active_conditions.size() == 2);
  for (const auto& c : s.active_conditions) {
    CHECK(c.sources == (c.plain == "Type 2 diabetes" ? Strings{"clinic-a", "clinic-b"} : Strings{"clinic-a"}));
  }
  REQUIRE(s.past_conditions.size() == 1);
  CHECK(s.past_conditions[0].sources == Strings{"clinic-a"});
  REQUIRE(s.active_medications.size() == 1);
  CHECK(s.active_medications[0].sources == Strings{"clinic-a"});
  REQUIRE(s.allergies.size() == 1);
  CHECK(s.allergies[0].sources == Strings{"clinic-a"});
  for (const auto& i : s.immunizations) CHECK(i.sources == Strings{"clinic-a"});
  REQUIRE(s.recent_encounters.size() == 2);
  CHECK(s.recent_encounters[0].sources == Strings{"clinic-b"});
  CHECK(s.recent_encounters[1].sources == Strings{"clinic-a"});
}

TEST_CASE("a medicine listed again from another provider keeps both sources", "[summary][sources]") {
  const std::string first =
      R"j({"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"text":"Lisinopril 10 mg"},"authoredOn":"2023-01-01"})j";
  const std::string renewed =
      R"j({"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"text":"Lisinopril 10 mg"},"authoredOn":"2024-01-01"})j";
  const Summary s = chartlock::summarize(
      test::ingest_all({{"clinic-a", test::bundle({first})}, {"clinic-b", test::bundle({renewed})}}));
  REQUIRE(s.active_medications.size() == 1);
  CHECK(s.active_medications[0].since == "2024-01-01");
  CHECK(s.active_medications[0].sources == Strings{"clinic-b", "clinic-a"});
  // The timeline keeps each prescription.
  CHECK(texts(s.timeline) == Strings{"2024-01-01 medication-started Medicine prescribed: Lisinopril 10 mg",
                                     "2023-01-01 medication-started Medicine prescribed: Lisinopril 10 mg"});
}

TEST_CASE("the timeline and sources in JSON", "[summary][timeline][json]") {
  const Summary s = two_providers();
  const auto j = chartlock::to_json(s);
  REQUIRE(j.at("timeline").size() == s.timeline.size());
  const auto& first = j.at("timeline").at(0);
  CHECK(first.size() == 5);
  CHECK(first.at("date") == "2025-01-10");
  CHECK(first.at("kind") == "visit");
  CHECK(first.at("text") == "Emergency visit at Clinic B");
  CHECK(first.at("sources") == Strings{"clinic-b"});
  CHECK(first.at("keys").size() == 1);
  for (const char* list : {"activeConditions", "pastConditions", "activeMedications", "allergies", "immunizations",
                           "recentEncounters"}) {
    for (const auto& item : j.at(list)) {
      INFO(list);
      CHECK(item.at("sources").is_array());
      CHECK(!item.at("sources").empty());
      CHECK(item.contains("key"));
    }
  }
  // The compact text and the DOM agree.
  CHECK(chartlock::summary_to_json_text(s, -1) == j.dump());
}

TEST_CASE("Markdown: the latest 20 events, and how many more", "[summary][timeline][markdown]") {
  const std::string md = chartlock::summary_to_markdown(two_providers());
  CHECK(md.find("## Timeline\n\n- 2025-01-10: Emergency visit at Clinic B (from clinic-b)\n") != std::string::npos);
  CHECK(md.find("- 2015-01-01: Condition began: Type 2 diabetes (from clinic-a and clinic-b)\n") != std::string::npos);
  CHECK(md.find("earlier event") == std::string::npos);

  std::vector<std::string> shots;
  for (int year = 2000; year < 2025; ++year) {
    shots.push_back(R"j({"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},"occurrenceDateTime":")j" +
                    std::to_string(year) + R"j(-10-01"})j");
  }
  const Summary many = chartlock::summarize(test::ingest_one(test::bundle(shots), "clinic-a"));
  REQUIRE(many.timeline.size() == 25);
  const std::string md25 = chartlock::summary_to_markdown(many);
  CHECK(md25.find("- 2024-10-01: Vaccine: Flu shot (from clinic-a)\n") != std::string::npos);
  CHECK(md25.find("- 2005-10-01: Vaccine: Flu shot") != std::string::npos);
  CHECK(md25.find("- 2004-10-01:") == std::string::npos);
  CHECK(md25.find("- … and 5 earlier events.\n") != std::string::npos);

  const std::string none = chartlock::summary_to_markdown(chartlock::summarize(test::ingest_one(test::bundle({kPatient}))));
  CHECK(none.find("## Timeline\n\nNo dated events are on record.\n") != std::string::npos);
}

namespace {

// A result of a test the knowledge base does not know, named `name`, flagged
// high by the lab when `high`.
std::string named_lab(const std::string& id, const std::string& name, bool high) {
  const std::string flag =
      high ? R"j("interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"H"}]}],)j"
           : "";
  return R"j({"resourceType":"Observation","id":")j" + id + R"j(","status":"final",)j" + kLab +
         R"j(,"code":{"text":")j" + name + R"j("},"effectiveDateTime":"2023-06-01",)j" + flag +
         R"j("valueQuantity":{"value":5,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}})j";
}

}  // namespace

TEST_CASE("lab events name four tests and three flags, then count the rest; a result counts once",
          "[summary][timeline]") {
  const Strings names = {"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf"};
  std::vector<std::string> resources = {kPatient};
  for (std::size_t i = 0; i < names.size(); ++i) resources.push_back(named_lab("x" + std::to_string(i), names[i], i != 1));
  // The report names x0 twice and x6 not at all; Golf's result is placed on its own day.
  resources.push_back(
      R"j({"resourceType":"DiagnosticReport","status":"final","code":{"text":"Checkup"},"effectiveDateTime":"2023-06-01","result":[{"reference":"Observation/x0"},{"reference":"Observation/x1"},{"reference":"Observation/x2"},{"reference":"Observation/x0"},{"reference":"Observation/x3"},{"reference":"Observation/x4"},{"reference":"Observation/x5"}]})j");
  resources.push_back(named_lab("y0", "Alpha", true));  // a second Alpha on the day: named once
  const Summary s = chartlock::summarize(test::ingest_all({{"clinic", test::bundle(resources)}}),
                                         chartlock::SummaryOptions{"2025-06-01"});
  CHECK(texts(s.timeline) == Strings{
      "2023-06-01 lab-report Checkup: Alpha, Bravo, Charlie, Delta and 2 more; flagged: Alpha high, Charlie high, "
      "Delta high and 2 more",
      "2023-06-01 lab-results Lab results: Alpha and Golf; flagged: Alpha high and Golf high",
  });
  const TimelineEvent& report = find(s.timeline, "lab-report", "2023-06-01");
  CHECK(report.keys.size() == 7);  // the report's own and six results, x0 once
}
