// SPDX-License-Identifier: Apache-2.0
// Golden tests: hand-built FHIR whose flags and insights are known by
// construction, two providers in different units, and the bad inputs that
// must say "unknown" or "not enough data" rather than guess.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <set>

#include "chartlock/summary.hpp"
#include "chartlock/summary_json.hpp"
#include "chartlock/summary_markdown.hpp"
#include "ingest_support.hpp"

using chartlock::Flag;
using chartlock::Summary;

namespace {

const std::string kLab = R"j("category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}])j";

std::string quantity(double value, const std::string& unit) {
  std::string q = R"j({"value":)j" + std::to_string(value);
  if (!unit.empty()) q += R"j(,"unit":")j" + unit + R"j(","system":"http://unitsofmeasure.org","code":")j" + unit + "\"";
  return q + "}";
}

std::string lab(const std::string& loinc, const std::string& date, const std::string& value_json,
                const std::string& extra = "") {
  return R"j({"resourceType":"Observation","status":"final",)j" + kLab +
         R"j(,"code":{"coding":[{"system":"http://loinc.org","code":")j" + loinc + R"j("}]},"effectiveDateTime":")j" + date +
         "\"," + value_json + extra + "}";
}

std::string lab(const std::string& loinc, const std::string& date, double value, const std::string& unit,
                const std::string& extra = "") {
  return lab(loinc, date, "\"valueQuantity\":" + quantity(value, unit), extra);
}

const std::string kPatient =
    R"j({"resourceType":"Patient","id":"p","name":[{"given":["Rosa"],"family":"Diaz"}],"gender":"female","birthDate":"1970-01-15"})j";

std::string provider_a() {
  return test::bundle({
      kPatient,
      R"j({"resourceType":"Condition","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes mellitus type 2 (disorder)"}]},"onsetDateTime":"2015-01-01"})j",
      R"j({"resourceType":"Condition","clinicalStatus":{"coding":[{"code":"resolved"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"444814009","display":"Viral sinusitis (disorder)"}]},"onsetDateTime":"2020-02-01","abatementDateTime":"2020-02-15"})j",
      lab("2345-7", "2023-01-05", R"j("valueString":"see note")j"),
      lab("2345-7", "2024-01-10", 110, "mg/dL"),
      lab("18262-6", "2025-03-01", 160, "mg/dL"),
      lab("2823-3", "2025-03-01", 6.8, "mmol/L"),
      lab("99999-9", "2025-03-01", 5, "mg/dL"),
      lab("2160-0", "2025-03-01", 1.0, ""),
      lab("4548-4", "2024-06-01", 7.2, "%"),
      lab("2951-2", "2025-03-01", 140, "mmol/L",
          R"j(,"referenceRange":[{"low":{"value":135,"unit":"mmol/L"},"high":{"value":145,"unit":"mmol/L"}},{"low":{"value":130,"unit":"mmol/L"},"high":{"value":150,"unit":"mmol/L"}}])j"),
      lab("20454-5", "2025-03-01", R"j("valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"10828004","display":"Positive (qualifier value)"}]})j"),
      R"j({"resourceType":"Observation","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"effectiveDateTime":"2025-03-01",
          "component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":150,"unit":"mmHg","code":"mm[Hg]"}},
                       {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":95,"unit":"mmHg","code":"mm[Hg]"}}]})j",
      R"j({"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},"occurrenceDateTime":"2024-10-01"})j",
      R"j({"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"113"}]},"occurrenceDateTime":"2010-05-01"})j",
      R"j({"resourceType":"AllergyIntolerance","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"91936005","display":"Allergy to penicillin"}]},"recordedDate":"2001-01-01"})j",
      R"j({"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"308182","display":"amoxicillin 500 MG Oral Capsule"}]},"authoredOn":"2025-03-01"})j",
      R"j({"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"860975"}],"text":"Metformin ER 500 mg"},"authoredOn":"2016-01-01"})j",
  });
}

std::string provider_b() {
  return test::bundle({
      kPatient,
      lab("2345-7", "2025-01-10", 7.0, "mmol/L",
          R"j(,"referenceRange":[{"low":{"value":3.9,"unit":"mmol/L"},"high":{"value":5.5,"unit":"mmol/L"}}],"interpretation":[{"coding":[{"code":"H"}]}])j"),
  });
}

Summary golden(const std::string& today = "2025-06-01") {
  chartlock::SummaryOptions o;
  o.today = today;
  return chartlock::summarize(test::ingest_all({{"a.json", provider_a()}, {"b.json", provider_b()}}), o);
}

const chartlock::LabSeries* series(const Summary& s, const std::string& loinc, bool separate = false) {
  for (const auto& l : s.labs) {
    if (l.loinc == loinc && l.separate_series == separate) return &l;
  }
  return nullptr;
}

std::set<std::string> insight_ids(const Summary& s) {
  std::set<std::string> ids;
  for (const auto& i : s.insights) ids.insert(i.kind == "medication-allergy-conflict" ? i.kind : i.id);
  return ids;
}

}  // namespace

TEST_CASE("golden: two providers' glucose in mg/dL and mmol/L form one series", "[summary][golden]") {
  const Summary s = golden();
  const auto* glucose = series(s, "2345-7");
  REQUIRE(glucose);
  CHECK(glucose->unit == "mg/dL");
  REQUIRE(glucose->history.size() == 3);
  CHECK(glucose->history[0].text == "see note");           // kept, not guessed
  CHECK(glucose->history[0].flag == Flag::unknown);
  CHECK(glucose->history[1].flag == Flag::high);           // 110 against the knowledge base 70–99
  CHECK(glucose->history[1].range.source == "knowledge-base");
  const auto& converted = glucose->history[2];
  CHECK(*converted.value == 126);  // 126.1: glucose is reported in whole mg/dL
  CHECK(*converted.original_value == 7.0);
  CHECK(converted.original_unit == "mmol/L");
  CHECK(converted.range.source == "report");               // the lab's own range, converted
  CHECK(*converted.range.low == 70);  // 70.26, at the test's precision
  CHECK(converted.flag == Flag::high);
  CHECK(converted.interpretation == "H");
  CHECK(chartlock::to_strings(converted.sources) == std::vector<std::string>{"b.json"});
  CHECK(glucose->trend.direction == "up");
  CHECK(glucose->trend.points == 2);
  CHECK(glucose->trend.since == "2024-01-10");
}

// A point's texts are Interned and its key a ShortText (summary.hpp): texts
// past the pool's length are owned by the value instead, and neither kind
// may refer into the record, which is gone before the summary is read.
TEST_CASE("a summary's texts are its own: the record gone, a copy of it kept", "[summary]") {
  const std::string long_range(chartlock::Interned::kMaxLength + 40, 'r');  // never pooled
  const std::string long_name = std::string(chartlock::Interned::kMaxLength + 9, 'n') + ".json";
  chartlock::SummaryOptions o;
  o.today = "2025-06-01";
  std::optional<Summary> first = chartlock::summarize(
      test::ingest_all({{long_name, test::bundle({kPatient, lab("2345-7", "2025-01-10", 7.0, "mmol/L",
                                                               R"j(,"referenceRange":[{"low":{"value":3.9,"unit":"mmol/L"},"high":{"value":5.5,"unit":"mmol/L"},"text":")j" +
                                                                   long_range + R"j("}])j")})}}),
      o);
  const Summary copy = *first;
  const std::string json = chartlock::summary_to_json_text(*first);
  first.reset();
  const auto* glucose = series(copy, "2345-7");
  REQUIRE(glucose);
  REQUIRE(glucose->history.size() == 1);
  const chartlock::HistoryPoint& p = glucose->history[0];
  CHECK(p.range.source == "report");
  CHECK(p.range.reference == long_range);
  CHECK_FALSE(p.range.reference.pooled());
  CHECK(p.flag_basis == "range");
  CHECK(p.flag == Flag::high);
  REQUIRE(p.sources.size() == 1);
  CHECK(p.sources[0] == long_name);
  CHECK_FALSE(p.sources[0].pooled());
  CHECK(p.key.view().rfind("obs-", 0) == 0);
  CHECK(glucose->latest.key == p.key);
  CHECK(chartlock::summary_to_json_text(copy) == json);
}

// A report's own range text is the input's free text: owned by the summary,
// never put in the process's pool (which is never freed), however short.
TEST_CASE("a report's range text is not pooled", "[summary]") {
  chartlock::SummaryOptions o;
  o.today = "2025-06-01";
  const std::string text = "3.9-5.5 fasting, this lab";
  const Summary s = chartlock::summarize(
      test::ingest_all({{"a.json", test::bundle({kPatient, lab("2345-7", "2025-01-10", 7.0, "mmol/L",
                                                                R"j(,"referenceRange":[{"low":{"value":3.9,"unit":"mmol/L"},"high":{"value":5.5,"unit":"mmol/L"},"text":")j" +
                                                                    text + R"j("}])j")})}}),
      o);
  const auto* glucose = series(s, "2345-7");
  REQUIRE(glucose);
  REQUIRE(glucose->history.size() == 1);
  const chartlock::HistoryPoint& p = glucose->history[0];
  CHECK(p.range.reference == text);
  CHECK_FALSE(p.range.reference.pooled());
  const chartlock::HistoryPoint copy = p;
  CHECK(copy.range.reference == text);
  CHECK_FALSE(copy.range.reference.pooled());
  CHECK(p.range.source.pooled());  // "report": a known word
}

TEST_CASE("golden: flags and bad input say unknown or not enough data, items kept", "[summary][golden]") {
  const Summary s = golden();
  // LDL measured directly is the LDL series (2089-1), its method noted.
  REQUIRE(series(s, "2089-1"));
  CHECK_FALSE(series(s, "18262-6"));
  CHECK(series(s, "2089-1")->latest.flag == Flag::high);
  CHECK(series(s, "2089-1")->latest.method == "measured directly");
  CHECK(series(s, "2089-1")->latest.loinc == "18262-6");
  CHECK(series(s, "2089-1")->trend.note.find("not enough data") != std::string::npos);
  CHECK(series(s, "2823-3")->latest.flag == Flag::critical_high);
  CHECK(series(s, "2823-3")->latest.flag_basis == "critical-limit");
  CHECK(series(s, "4548-4")->latest.flag == Flag::high);
  CHECK(series(s, "20454-5")->latest.flag == Flag::abnormal);

  const auto* unknown = series(s, "99999-9");  // not in the knowledge base
  REQUIRE(unknown);
  CHECK_FALSE(unknown->known);
  CHECK(unknown->latest.flag == Flag::unknown);
  CHECK_FALSE(unknown->notes.empty());

  const auto* no_unit = series(s, "2160-0", true);  // a creatinine without a unit
  REQUIRE(no_unit);
  CHECK(no_unit->unit.empty());
  CHECK(no_unit->latest.flag == Flag::unknown);
  CHECK(no_unit->latest.range.source.empty());
  CHECK_FALSE(series(s, "2160-0", false));

  const auto* sodium = series(s, "2951-2");  // two different ranges in one report
  CHECK(sodium->latest.flag == Flag::unknown);
  CHECK(sodium->latest.range.source.empty());
  CHECK(sodium->latest.note.find("more than one range") != std::string::npos);
}

TEST_CASE("golden: vital signs, lists and plain words", "[summary][golden]") {
  const Summary s = golden();
  REQUIRE_FALSE(s.vitals.empty());
  const auto& bp = s.vitals.front();
  CHECK(bp.blood_pressure);
  CHECK(bp.latest_pressure->category == "stage-2");
  CHECK(bp.latest_pressure->flag == Flag::high);
  REQUIRE(s.active_conditions.size() == 1);
  CHECK(s.active_conditions[0].plain == "Type 2 diabetes");
  CHECK(s.active_conditions[0].code.code == "44054006");
  REQUIRE(s.past_conditions.size() == 1);
  REQUIRE(s.active_medications.size() == 2);
  const auto amox = std::find_if(s.active_medications.begin(), s.active_medications.end(),
                                 [](const auto& m) { return m.ingredients == std::vector<std::string>{"amoxicillin"}; });
  REQUIRE(amox != s.active_medications.end());
  CHECK(amox->class_ids == std::vector<std::string>{"penicillin"});
  CHECK(s.patient.age == 55);
  CHECK(s.narrative.find("55-year-old woman") != std::string::npos);
  CHECK(s.narrative.find("type 2 diabetes") != std::string::npos);
  CHECK(s.narrative.find("not a diagnosis") != std::string::npos);
  CHECK(s.immunizations.front().plain == "Flu shot");
}

TEST_CASE("golden: exactly the insights the record calls for", "[summary][golden]") {
  const Summary s = golden();
  const std::set<std::string> expected = {
      "medication-allergy-conflict",       "out-of-range:2823-3",
      "worsening-trend:2345-7",            "out-of-range:2089-1",
      "out-of-range:4548-4",               "out-of-range:20454-5",
      "out-of-range:blood-pressure",       "gap-in-monitoring:diabetes-a1c",
      "gap-in-monitoring:diabetes-kidney", "gap-in-monitoring:diabetes-egfr",
      "gap-in-monitoring:metformin-b12",   "overdue-immunization:td-tdap",
      "overdue-immunization:zoster",       "overdue-immunization:hepatitis-b",
      "due-screening:colorectal",          "due-screening:breast",
      "due-screening:cervical-30",         "due-screening:hepatitis-c",
      "due-screening:hiv"};
  CHECK(insight_ids(s) == expected);
  // Urgent first: the allergy conflict and the critical potassium.
  CHECK(s.insights[0].kind == "medication-allergy-conflict");
  CHECK(s.insights[1].id == "out-of-range:2823-3");
  for (const auto& i : s.insights) {
    INFO(i.id);
    CHECK_FALSE(i.source.empty());
    CHECK_FALSE(i.evidence.empty());
    CHECK_FALSE(i.text.empty());
  }
  // 3 to 10 questions, each from an insight that exists.
  CHECK(s.questions.size() >= 3);
  CHECK(s.questions.size() <= 10);
  for (const auto& q : s.questions) {
    CHECK(std::any_of(s.insights.begin(), s.insights.end(), [&](const auto& i) { return i.id == q.insight; }));
  }
}

TEST_CASE("golden: dates move the rules, deterministically", "[summary][golden]") {
  // Before the flu season started, last season's shot counts; the A1c is recent enough.
  const Summary early = golden("2024-07-01");
  const auto ids = insight_ids(early);
  CHECK(ids.count("gap-in-monitoring:diabetes-a1c") == 0);
  CHECK(ids.count("overdue-immunization:influenza") == 1);  // no shot since 2023-08-01
  CHECK(early.patient.age == 54);
  // The same input gives the same bytes.
  CHECK(chartlock::summary_to_json_text(golden()) == chartlock::summary_to_json_text(golden()));
  CHECK(chartlock::summary_to_markdown(golden()) == chartlock::summary_to_markdown(golden()));
  CHECK_THROWS_AS(golden("2025-02-30"), std::invalid_argument);
}

TEST_CASE("golden: JSON and Markdown carry the schema, ranges, units and sources", "[summary][golden]") {
  const Summary s = golden();
  const auto j = chartlock::to_json(s);
  CHECK(j["schema"] == "chartlock.summary/1");
  CHECK(j["sources"] == nlohmann::ordered_json::array({"a.json", "b.json"}));
  const auto& labs = j["labs"];
  const auto glucose = std::find_if(labs.begin(), labs.end(), [](const auto& l) { return l["loinc"] == "2345-7"; });
  REQUIRE(glucose != labs.end());
  CHECK((*glucose)["flag"] == "high");
  CHECK((*glucose)["range"]["source"] == "report");
  CHECK((*glucose)["latest"]["unit"] == "mg/dL");
  CHECK((*glucose)["trend"]["direction"] == "up");
  CHECK((*glucose)["history"].size() == 3);
  const std::string md = chartlock::summary_to_markdown(s);
  CHECK(md.find("Data from 2 sources: a.json and b.json.") != std::string::npos);
  CHECK(md.find("| Test | Latest | Date | Usual range | Flag | Trend |") != std::string::npos);
  CHECK(md.find("126 mg/dL") != std::string::npos);
  CHECK(md.find("## Questions for the next appointment") != std::string::npos);
}

TEST_CASE("no date, no birth date, a deceased patient, an empty record", "[summary][golden]") {
  SECTION("without today, no date rules, and a note says so") {
    const Summary s = chartlock::summarize(test::ingest_all({{"a.json", provider_a()}}), {});
    for (const auto& i : s.insights) {
      CHECK(i.kind != "due-screening");
      CHECK(i.kind != "gap-in-monitoring");
    }
    CHECK_FALSE(s.patient.age);
    CHECK_FALSE(s.notes.empty());
  }
  SECTION("a deceased patient: no suggestions, no questions") {
    const std::string dead = test::bundle(
        {R"j({"resourceType":"Patient","gender":"male","birthDate":"1940-01-01","deceasedDateTime":"2010-03-04"})j",
         lab("18262-6", "2009-01-01", 180, "mg/dL")});
    chartlock::SummaryOptions o;
    o.today = "2025-06-01";
    const Summary s = chartlock::summarize(test::ingest_one(dead), o);
    CHECK(s.questions.empty());
    CHECK(s.patient.age == 70);  // at death
    REQUIRE(s.insights.size() == 1);
    CHECK(s.insights[0].id == "out-of-range:2089-1");
    CHECK(s.narrative.find("died on 2010-03-04") != std::string::npos);
  }
  SECTION("an empty record still gives three questions") {
    chartlock::SummaryOptions o;
    o.today = "2025-06-01";
    const Summary s = chartlock::summarize(test::ingest_all({}), o);
    CHECK(s.labs.empty());
    CHECK(s.questions.size() == 3);
    CHECK_FALSE(s.notes.empty());  // no Patient resource
  }
}
