// SPDX-License-Identifier: Apache-2.0
// The summary of a share: a category the patient left out says "not shared",
// an empty shared one "none among the shared records", and no reminder,
// sentence or insight rests on what was not shared. The chart below is built
// per category, and each share holds only the resources of its categories, as
// the caller cuts the record down.
#include <catch2/catch.hpp>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "chartlock/summary.hpp"
#include "chartlock/summary_json.hpp"
#include "chartlock/summary_markdown.hpp"
#include "ingest_support.hpp"

using chartlock::Categories;
using chartlock::Category;
using chartlock::Summary;

namespace {

const std::string kLab =
    R"j("category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}])j";
const std::string kVital =
    R"j("category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}])j";

struct Resource {
  Category category;
  std::string json;
};

// A 55-year-old woman (on 2025-06-01) with high blood pressure, whose last
// blood pressure reading is from 2023: on her whole record the summary
// reminds her of a reading, a diabetes screening (BMI 27, no A1c) and more.
const std::vector<Resource>& chart() {
  static const std::vector<Resource> resources = {
      {Category::patient,
       R"j({"resourceType":"Patient","id":"p","name":[{"given":["Rosa"],"family":"Diaz"}],"gender":"female","birthDate":"1970-01-15"})j"},
      {Category::conditions,
       R"j({"resourceType":"Condition","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertensive disorder"}]},"onsetDateTime":"2010-04-01"})j"},
      {Category::labs,
       R"j({"resourceType":"Observation","status":"final",)j" + kLab +
           R"j(,"code":{"coding":[{"system":"http://loinc.org","code":"2345-7"}]},"effectiveDateTime":"2025-03-01","valueQuantity":{"value":90,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}})j"},
      {Category::vitals,
       R"j({"resourceType":"Observation","status":"final",)j" + kVital +
           R"j(,"code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"effectiveDateTime":"2023-01-01",
          "component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":128,"unit":"mmHg","code":"mm[Hg]"}},
                       {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":82,"unit":"mmHg","code":"mm[Hg]"}}]})j"},
      {Category::vitals,
       R"j({"resourceType":"Observation","status":"final",)j" + kVital +
           R"j(,"code":{"coding":[{"system":"http://loinc.org","code":"39156-5"}]},"effectiveDateTime":"2023-01-01","valueQuantity":{"value":27,"unit":"kg/m2","system":"http://unitsofmeasure.org","code":"kg/m2"}})j"},
      {Category::encounters,
       R"j({"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"type":[{"text":"Encounter for check up"}],"period":{"start":"2023-01-01T09:00:00Z"},"serviceProvider":{"display":"Clinic A"}})j"},
      {Category::immunizations,
       R"j({"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},"occurrenceDateTime":"2024-10-01"})j"},
  };
  return resources;
}

// The record as a share hands it to summarize(): only the shared categories.
chartlock::Record cut(const Categories& shared, const std::vector<Resource>& resources = chart()) {
  std::vector<std::string> kept;
  for (const Resource& r : resources) {
    if (shared.count(r.category)) kept.push_back(r.json);
  }
  return test::ingest_all({{"clinic-a.json", test::bundle(kept)}});
}

Categories every_category() { return Categories(chartlock::all_categories().begin(), chartlock::all_categories().end()); }

Categories all_but(std::initializer_list<Category> left_out) {
  Categories c = every_category();
  for (Category l : left_out) c.erase(l);
  return c;
}

chartlock::SummaryOptions options(std::optional<chartlock::ShareScope> shared = std::nullopt) {
  chartlock::SummaryOptions o;
  o.today = "2025-06-01";
  o.shared = std::move(shared);
  return o;
}

Summary share(const Categories& categories, const std::string& from = "", const std::string& to = "",
              const std::vector<Resource>& resources = chart()) {
  return chartlock::summarize(cut(categories, resources), options(chartlock::ShareScope{categories, from, to}));
}

Summary whole_record(const std::vector<Resource>& resources = chart()) {
  return chartlock::summarize(cut(every_category(), resources), options());
}

std::set<std::string> insight_ids(const Summary& s) {
  std::set<std::string> ids;
  for (const auto& i : s.insights) ids.insert(i.id);
  return ids;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool any_note(const Summary& s, const std::string& part) {
  return std::any_of(s.notes.begin(), s.notes.end(), [&](const std::string& n) { return has(n, part); });
}

bool reminds(const Summary& s) {
  return std::any_of(s.insights.begin(), s.insights.end(), [](const auto& i) {
    return i.kind == "due-screening" || i.kind == "overdue-immunization" || i.kind == "gap-in-monitoring";
  });
}

}  // namespace

TEST_CASE("a share of conditions, medicines and labs: the rest reads not shared, and nothing rests on it",
          "[summary][share-scope]") {
  // On the whole record, the absences are real and the summary says so.
  const Summary whole = whole_record();
  REQUIRE(insight_ids(whole).count("gap-in-monitoring:hypertension-bp") == 1);
  REQUIRE(insight_ids(whole).count("due-screening:diabetes") == 1);
  REQUIRE(has(chartlock::summary_to_markdown(whole), "not checked recently"));

  const Summary s = share({Category::conditions, Category::medications, Category::labs});
  const std::string md = chartlock::summary_to_markdown(s);
  INFO(md);
  CHECK(has(md, "This summary covers only what the patient chose to share: conditions, medicines and lab results. "
                "Other records may exist, so something not listed here may still have happened."));
  CHECK(has(md, "## Vital signs\n\nNot shared: the patient did not share vital signs.\n"));
  CHECK(has(md, "## Recent visits\n\nNot shared: the patient did not share visits.\n"));
  CHECK(has(md, "## Immunizations\n\nNot shared: the patient did not share immunizations.\n"));
  CHECK(has(md, "## Allergies\n\nNot shared: the patient did not share allergies.\n"));
  CHECK(has(md, "## Current medicines\n\nNone among the shared records.\n"));
  CHECK(has(md, "Patient: personal details not shared."));
  CHECK(has(md, "Data from 1 source: clinic-a.json."));
  CHECK_FALSE(has(md, "on record"));  // "none on record", "No vital signs are on record"…
  CHECK_FALSE(has(md, "not checked recently"));
  CHECK_FALSE(has(md, "No source had a Patient resource"));
  CHECK_FALSE(reminds(s));
  // Why the reminders are missing, once.
  CHECK(any_note(s, "Some reminders about due vaccines, screenings and follow-up tests are left out, because they need "
                    "records that were not shared: vital signs."));
  CHECK(any_note(s, "The patient's personal details were not shared"));
  // The narrative names what was shared and claims nothing about the rest.
  CHECK(has(s.narrative, "ongoing health condition"));
  CHECK(has(s.narrative, "No current medicines are among the shared records."));
  CHECK_FALSE(has(s.narrative, "allerg"));
  CHECK_FALSE(has(s.narrative, "visit"));
  CHECK(has(s.narrative, "made from the records you chose to share"));
}

TEST_CASE("with the patient's details shared too, age-based reminders still need their own categories",
          "[summary][share-scope]") {
  const Summary s = share({Category::patient, Category::conditions, Category::medications, Category::labs});
  CHECK(s.patient.age == 55);
  CHECK_FALSE(reminds(s));  // vaccines, screenings and the blood pressure check all rest on unshared categories
  CHECK(any_note(s, "records that were not shared: vital signs, immunizations, procedures, social history and other "
                    "observations."));
  const std::string md = chartlock::summary_to_markdown(s);
  CHECK(has(md, "Patient: Rosa Diaz; born 1970-01-15; age 55; female."));
  CHECK(has(md, "Nothing in the shared records stands out as needing attention."));
  CHECK_FALSE(has(md, "on record"));
}

TEST_CASE("every category shared, some empty: none among the shared records", "[summary][share-scope]") {
  const std::vector<Resource> few = {chart()[0],
                                     {Category::conditions,
                                      R"j({"resourceType":"Condition","clinicalStatus":{"coding":[{"code":"resolved"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"444814009","display":"Viral sinusitis (disorder)"}]},"onsetDateTime":"2020-02-01","abatementDateTime":"2020-02-15"})j"}};
  const Summary s = share(every_category(), "", "", few);
  const std::string md = chartlock::summary_to_markdown(s);
  INFO(md);
  CHECK(has(md, "This summary covers only what the patient chose to share: every kind of record."));
  CHECK(has(md, "## Lab results\n\nNone among the shared records.\n\n## Vital signs"));
  CHECK(has(md, "## Vital signs\n\nNone among the shared records.\n\n## Conditions"));
  CHECK(has(md, "## Conditions\n\n- Ongoing: none among the shared records.\n- Past: Sinus infection (viral)"));
  for (const char* section : {"Current medicines", "Allergies", "Immunizations", "Recent visits"}) {
    CHECK(has(md, "## " + std::string(section) + "\n\nNone among the shared records.\n"));
  }
  CHECK_FALSE(has(md, "None on record"));
  CHECK_FALSE(has(md, "none on record"));
  CHECK_FALSE(has(md, "Not shared"));
  CHECK(has(s.narrative, "Your shared records list no ongoing health conditions."));
  CHECK(has(s.narrative, "No allergies are among the shared records."));
  // Everything shared, no dates: a reminder resting on a shared category may fire.
  CHECK(insight_ids(s).count("overdue-immunization:td-tdap") == 1);
  CHECK(insight_ids(s).count("due-screening:colorectal") == 1);
  // Except one whose evidence a share can keep private while sharing its category.
  CHECK(insight_ids(whole_record(few)).count("due-screening:hiv") == 1);
  CHECK(insight_ids(s).count("due-screening:hiv") == 0);
  CHECK(any_note(s, "The reminder for HIV screening (once) is left out: a share can keep such tests private"));
}

TEST_CASE("a share of a range of dates: no reminder rests on an absence, one note says why", "[summary][share-scope]") {
  const Summary s = share(every_category(), "2015-01-01");
  CHECK_FALSE(reminds(s));
  CHECK(insight_ids(s).count("out-of-range:blood-pressure") == 1);  // what was shared still counts
  const std::string note =
      "Reminders about due vaccines, screenings and follow-up tests are left out: only records dated from 2015-01-01 "
      "were shared, so a test or vaccine from outside those dates would not show here.";
  CHECK(std::count(s.notes.begin(), s.notes.end(), note) == 1);
  const std::string md = chartlock::summary_to_markdown(s);
  CHECK(has(md, "every kind of record, dated from 2015-01-01. Other records may exist"));
  CHECK(has(md, "## Allergies\n\nNone shared from 2015-01-01.\n"));
  CHECK_FALSE(has(md, "not checked recently"));
  CHECK(has(s.narrative, "The shared records include 1 visit"));

  // Both ends: empty categories say which dates were shared.
  const Summary ranged = share({Category::patient, Category::labs, Category::encounters}, "2015-01-01", "2020-12-31",
                               {chart()[0]});
  const std::string ranged_md = chartlock::summary_to_markdown(ranged);
  INFO(ranged_md);
  CHECK(has(ranged_md, "personal details, lab results and visits, dated from 2015-01-01 to 2020-12-31."));
  CHECK(has(ranged_md, "## Lab results\n\nNone shared from 2015-01-01 to 2020-12-31.\n"));
  CHECK(has(ranged_md, "## Recent visits\n\nNone shared from 2015-01-01 to 2020-12-31.\n"));
  CHECK(has(ranged_md, "## Vital signs\n\nNot shared: the patient did not share vital signs.\n"));
  CHECK(has(ranged_md, "## Conditions\n\nNot shared: the patient did not share conditions.\n"));
  CHECK(has(ranged_md, "No dated events are among the shared records."));
  CHECK_FALSE(has(ranged_md, "on record"));
  CHECK_FALSE(reminds(ranged));

  chartlock::SummaryOptions bad = options(chartlock::ShareScope{every_category(), "2015", ""});
  CHECK_THROWS_AS(chartlock::summarize(cut(every_category()), bad), std::invalid_argument);
}

TEST_CASE("follow-up tests need what calls for them and where the test would be", "[summary][share-scope]") {
  SECTION("a condition: the condition and the readings") {
    CHECK(insight_ids(share({Category::patient, Category::conditions, Category::vitals}))
              .count("gap-in-monitoring:hypertension-bp") == 1);
    const Summary s = share({Category::patient, Category::conditions});
    CHECK(insight_ids(s).count("gap-in-monitoring:hypertension-bp") == 0);
    CHECK(any_note(s, "vital signs"));
  }
  SECTION("a medicine: the medicine and the lab results") {
    const std::vector<Resource> statin = {
        chart()[0],
        {Category::medications,
         R"j({"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"259255","display":"atorvastatin 80 MG Oral Tablet"}]},"authoredOn":"2024-01-01"})j"}};
    REQUIRE(insight_ids(whole_record(statin)).count("gap-in-monitoring:statin-lipids") == 1);
    CHECK(insight_ids(share({Category::patient, Category::medications, Category::labs}, "", "", statin))
              .count("gap-in-monitoring:statin-lipids") == 1);
    const Summary s = share({Category::patient, Category::medications}, "", "", statin);
    CHECK(insight_ids(s).count("gap-in-monitoring:statin-lipids") == 0);
    CHECK(any_note(s, "lab results"));
  }
}

TEST_CASE("screenings and vaccines need every category their evidence could be in", "[summary][share-scope]") {
  const auto ids = insight_ids(whole_record());
  REQUIRE(ids.count("due-screening:colorectal") == 1);    // procedures or lab tests
  REQUIRE(ids.count("due-screening:breast") == 1);        // a procedure or a mammogram observation
  REQUIRE(ids.count("overdue-immunization:td-tdap") == 1);
  REQUIRE(ids.count("due-screening:diabetes") == 1);      // BMI, no diabetes, no A1c

  CHECK(insight_ids(share(all_but({Category::procedures}))).count("due-screening:colorectal") == 0);
  // A mammogram is not a lab test: it may be filed as another kind of observation.
  CHECK(insight_ids(share(all_but({Category::otherObservations}))).count("due-screening:breast") == 0);
  CHECK(insight_ids(share(all_but({Category::immunizations}))).count("overdue-immunization:td-tdap") == 0);
  // Diabetes screening: the BMI (vital signs), the conditions that exempt, the tests.
  for (Category c : {Category::vitals, Category::conditions, Category::labs}) {
    INFO(chartlock::category_id(c));
    CHECK(insight_ids(share(all_but({c}))).count("due-screening:diabetes") == 0);
  }
  // Sex and age: the patient's details.
  const Summary anonymous = share(all_but({Category::patient}));
  CHECK(insight_ids(anonymous).count("overdue-immunization:td-tdap") == 0);
  CHECK(any_note(anonymous, "The patient's personal details were not shared"));
  // With every category shared, the same reminders as on the whole record, HIV aside.
  std::set<std::string> expected = ids;
  expected.erase("due-screening:hiv");
  CHECK(insight_ids(share(every_category())) == expected);
}

TEST_CASE("JSON: a shared object only for a share, and the same text as the DOM", "[summary][share-scope][json]") {
  const auto own = chartlock::to_json(whole_record());
  CHECK_FALSE(own.contains("shared"));

  const Summary s = share({Category::conditions, Category::labs}, "2015-01-01");
  const auto j = chartlock::to_json(s);
  REQUIRE(j.contains("shared"));
  const auto& shared = j["shared"];
  CHECK(shared["categories"] == nlohmann::ordered_json::array({"conditions", "labs"}));
  CHECK(shared["notShared"] == nlohmann::ordered_json::array({"patient", "medications", "allergies", "vitals",
                                                              "immunizations", "procedures", "encounters", "reports",
                                                              "documents", "carePlans", "goals", "socialHistory",
                                                              "otherObservations"}));
  CHECK(shared["from"] == "2015-01-01");
  CHECK(shared["to"].is_null());
  CHECK(chartlock::summary_to_json_text(s) == j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  // Deterministic, like every summary.
  CHECK(chartlock::summary_to_markdown(s) ==
        chartlock::summary_to_markdown(share({Category::conditions, Category::labs}, "2015-01-01")));
}
