// SPDX-License-Identifier: Apache-2.0
// The consent engine: scopes, the consent file, each rule, and build_share
// refusing what the consent does not allow whatever keys it is handed.
#include <catch2/catch.hpp>

#include <algorithm>

#include "chartlock/consent.hpp"
#include "chartlock/share.hpp"
#include "ingest_support.hpp"

using chartlock::Categories;
using chartlock::Category;
using chartlock::ConsentError;
using chartlock::Refusal;
using json = nlohmann::json;

namespace {

const std::string kRecords = test::bundle({
    R"({"resourceType":"Patient","id":"p1","name":[{"given":["Ana"],"family":"Silva"}],"gender":"female","birthDate":"1980-02-03"})",
    R"({"resourceType":"Condition","id":"diabetes","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes mellitus type 2"}]},"onsetDateTime":"2003-05-01"})",
    R"({"resourceType":"Condition","id":"sprain","clinicalStatus":{"coding":[{"code":"resolved"}]},"code":{"text":"Sprain of ankle"},"onsetDateTime":"2008-01-01","abatementDateTime":"2008-03-01"})",
    R"({"resourceType":"Condition","id":"flu","clinicalStatus":{"coding":[{"code":"resolved"}]},"code":{"text":"Influenza"},"onsetDateTime":"2019-02-01","abatementDateTime":"2019-02-20"})",
    R"({"resourceType":"Condition","id":"anx","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"text":"Generalized anxiety disorder"},"onsetDateTime":"2020-01-01"})",
    R"({"resourceType":"Observation","id":"a1c","status":"final","category":[{"coding":[{"code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},"effectiveDateTime":"2021-06-01","valueQuantity":{"value":6.9,"unit":"%","code":"%"}})",
    R"({"resourceType":"Observation","id":"hr","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},"effectiveDateTime":"2021-06-01","valueQuantity":{"value":70,"unit":"/min"}})",
    R"({"resourceType":"MedicationRequest","id":"met","status":"active","intent":"order","medicationCodeableConcept":{"text":"metformin 500 MG Oral Tablet"},"authoredOn":"2004-01-02"})",
    R"({"resourceType":"Immunization","id":"flu-shot","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/cvx","code":"140"}]},"occurrenceDateTime":"2022-10-01"})",
    R"({"resourceType":"AllergyIntolerance","id":"nuts","code":{"text":"Peanut"}})",
    R"({"resourceType":"Condition","id":"asthma","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"text":"Asthma"}})"});

chartlock::Record read() { return test::ingest_one(kRecords, "clinic"); }

const chartlock::ConsentItem& by_id(const std::vector<chartlock::ConsentItem>& items, const chartlock::Record& r,
                                    const std::string& id) {
  auto it = std::find_if(items.begin(), items.end(), [&](const chartlock::ConsentItem& c) {
    auto has_id = [&](const auto& list) {
      return std::any_of(list.begin(), list.end(), [&](const auto& item) {
        return item.key == c.key && !item.sources.empty() && item.sources.front().id() == id;
      });
    };
    return has_id(r.conditions) || has_id(r.observations) || has_id(r.medications) || has_id(r.immunizations) ||
           has_id(r.allergies);
  });
  REQUIRE(it != items.end());
  return *it;
}

}  // namespace

TEST_CASE("scopes: SMART v1 and v2 read scopes, narrowed by category, and nothing else", "[consent]") {
  CHECK(chartlock::categories_for_scopes({"patient/Condition.rs"}) == Categories{Category::conditions});
  CHECK(chartlock::categories_for_scopes({"patient/Observation.read"}) ==
        Categories{Category::labs, Category::vitals, Category::socialHistory, Category::otherObservations});
  CHECK(chartlock::categories_for_scopes({"patient/Observation.rs?category=laboratory"}) == Categories{Category::labs});
  CHECK(chartlock::categories_for_scopes(
            {"patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs"}) ==
        Categories{Category::vitals});
  CHECK(chartlock::categories_for_scopes({"patient/*.rs"}).size() == chartlock::all_categories().size());
  CHECK(chartlock::categories_for_scopes({"patient/Patient.r"}) == Categories{Category::patient});
  CHECK(chartlock::categories_for_scopes({"patient/Condition.cruds"}) == Categories{Category::conditions});
  // Writes only, other levels, other types, malformed: nothing.
  for (const char* s : {"patient/Condition.c", "patient/Condition.u", "user/Condition.rs", "system/*.rs", "launch/patient",
                        "openid", "patient/Claim.rs", "patient/Condition", "patient/.rs", "patient/Condition.sr",
                        "patient/Observation.rs?code=1234", "patient/Observation.rs?category=laboratory&code=1"}) {
    INFO(s);
    CHECK(chartlock::categories_for_scopes({s}).empty());
  }
}

TEST_CASE("a narrowed scope covers only items of that FHIR category", "[consent]") {
  const chartlock::Record r = read();
  const auto items = chartlock::consent_catalog(r);
  CHECK(chartlock::scopes_cover({"patient/Observation.rs?category=laboratory"}, by_id(items, r, "a1c")));
  CHECK_FALSE(chartlock::scopes_cover({"patient/Observation.rs?category=laboratory"}, by_id(items, r, "hr")));
  CHECK_FALSE(chartlock::scopes_cover({"patient/Condition.rs"}, by_id(items, r, "hr")));
}

TEST_CASE("the consent file: defaults, and a clear error for each mistake", "[consent]") {
  const chartlock::Consent d = chartlock::consent_from_json(R"({"scopes":["patient/Condition.rs","patient/Patient.rs"]})");
  CHECK(d.categories == Categories{Category::patient, Category::conditions});
  CHECK(d.sensitive.empty());
  CHECK(d.from.empty());
  const chartlock::Consent c = chartlock::consent_from_json(
      R"({"scopes":["patient/*.rs"],"categories":["labs"],"patient":false,"sensitive":["mental-health"],
          "from":"2015-01-01","to":null,"exclude":["x"]})");
  CHECK(c.categories == Categories{Category::labs});
  CHECK(c.sensitive == std::set<std::string>{"mental-health"});
  CHECK(c.from == "2015-01-01");
  CHECK(c.to.empty());
  CHECK(c.exclude == std::set<std::string>{"x"});
  // to_json reads back as the same consent.
  const chartlock::Consent again = chartlock::consent_from_json(chartlock::to_json(c).dump());
  CHECK(again.categories == c.categories);
  CHECK(again.exclude == c.exclude);

  const std::vector<std::pair<const char*, const char*>> bad{
      {"[]", "JSON object"},
      {"{", "not valid JSON"},
      {R"({})", "\"scopes\" is missing"},
      {R"({"scopes":["openid"]})", "cover nothing"},
      {R"({"scopes":["patient/Condition.rs"],"categories":["vitals"]})", "do not cover \"vitals\""},
      {R"({"scopes":["patient/Condition.rs"],"categories":["vital"]})", "unknown category"},
      {R"({"scopes":["patient/Condition.rs"],"patient":true})", "do not ask for the patient"},
      {R"({"scopes":["patient/Condition.rs"],"patient":"yes"})", "true or false"},
      {R"({"scopes":["patient/Condition.rs"],"sensitive":["secret"]})", "unknown sensitive"},
      {R"({"scopes":["patient/Condition.rs"],"from":"2015-13-01"})", "\"from\" must be a date"},
      {R"({"scopes":["patient/Condition.rs"],"from":"2016-01-01","to":"2015-01-01"})", "after"},
      {R"({"scopes":["patient/Condition.rs"],"exclude":[1]})", "array of strings"},
      {R"({"scopes":["patient/Condition.rs"],"exclud":[]})", "unknown field \"exclud\""},
  };
  for (const auto& [text, message] : bad) {
    INFO(text);
    CHECK_THROWS_WITH(chartlock::consent_from_json(text), Catch::Contains(message));
    CHECK_THROWS_AS(chartlock::consent_from_json(text), ConsentError);
  }
}

TEST_CASE("each rule refuses for its own reason", "[consent]") {
  const chartlock::Record r = read();
  const auto items = chartlock::consent_catalog(r);
  chartlock::Consent c = chartlock::default_consent({"patient/Condition.rs", "patient/Observation.rs?category=laboratory"});
  CHECK_FALSE(chartlock::refusal(by_id(items, r, "diabetes"), c));
  CHECK(chartlock::refusal(by_id(items, r, "hr"), c) == Refusal::out_of_scope);
  CHECK(chartlock::refusal(by_id(items, r, "met"), c) == Refusal::out_of_scope);
  CHECK(chartlock::refusal(by_id(items, r, "anx"), c) == Refusal::sensitive);
  c.sensitive.insert("mental-health");
  CHECK_FALSE(chartlock::refusal(by_id(items, r, "anx"), c));
  c.exclude.insert(by_id(items, r, "anx").key);
  CHECK(chartlock::refusal(by_id(items, r, "anx"), c) == Refusal::excluded);
  c.categories.erase(Category::labs);
  CHECK(chartlock::refusal(by_id(items, r, "a1c"), c) == Refusal::category_off);
  // Categories the scopes do not cover stay out even when a caller adds them.
  c.categories.insert(Category::vitals);
  CHECK(chartlock::refusal(by_id(items, r, "hr"), c) == Refusal::out_of_scope);
}

TEST_CASE("a date range keeps what is ongoing and began before it", "[consent]") {
  const chartlock::Record r = read();
  const auto items = chartlock::consent_catalog(r);
  chartlock::Consent c = chartlock::default_consent({"patient/*.rs"});
  c.from = "2015-01-01";
  CHECK_FALSE(chartlock::refusal(by_id(items, r, "diabetes"), c));  // active since 2003
  CHECK_FALSE(chartlock::refusal(by_id(items, r, "met"), c));       // a current medicine since 2004
  CHECK(chartlock::refusal(by_id(items, r, "sprain"), c) == Refusal::out_of_range);  // over in 2008
  CHECK_FALSE(chartlock::refusal(by_id(items, r, "flu"), c));
  c.to = "2018-12-31";
  CHECK(chartlock::refusal(by_id(items, r, "flu"), c) == Refusal::out_of_range);  // after the range
  CHECK_FALSE(chartlock::refusal(by_id(items, r, "diabetes"), c));
  // Without a date an item cannot be shown to be in the range, unless it is going on now.
  CHECK(chartlock::refusal(by_id(items, r, "nuts"), c) == Refusal::undated);
  CHECK_FALSE(chartlock::refusal(by_id(items, r, "asthma"), c));
  c.from.clear();
  c.to.clear();
  CHECK_FALSE(chartlock::refusal(by_id(items, r, "nuts"), c));
}

TEST_CASE("build_share refuses every key the consent does not allow", "[consent][share]") {
  const chartlock::Record r = read();
  const auto items = chartlock::consent_catalog(r);
  chartlock::ShareRequest req;
  req.consent = chartlock::default_consent({"patient/Condition.rs"});
  req.consent.from = "2015-01-01";
  req.consent.exclude.insert(by_id(items, r, "flu").key);
  req.keys.emplace();
  for (const auto& item : items) req.keys->insert(item.key);  // a caller asking for everything
  req.keys->insert("cond-ffffffffffffffff");
  const chartlock::ShareContent share = chartlock::build_share(r, req);
  // The diabetes and the asthma: both going on now, so kept by the range.
  CHECK(share.keys == std::vector<std::string>{by_id(items, r, "diabetes").key, by_id(items, r, "asthma").key});
  CHECK_FALSE(share.patient);
  std::map<std::string, Refusal> why;
  for (const auto& refused : share.refused) why[refused.key] = refused.why;
  CHECK(why.at(by_id(items, r, "hr").key) == Refusal::out_of_scope);
  CHECK(why.at(by_id(items, r, "a1c").key) == Refusal::out_of_scope);
  CHECK(why.at(by_id(items, r, "met").key) == Refusal::out_of_scope);
  CHECK(why.at(by_id(items, r, "flu-shot").key) == Refusal::out_of_scope);
  CHECK(why.at(by_id(items, r, "anx").key) == Refusal::sensitive);
  CHECK(why.at(by_id(items, r, "sprain").key) == Refusal::out_of_range);
  CHECK(why.at(by_id(items, r, "flu").key) == Refusal::excluded);
  CHECK(why.at("cond-ffffffffffffffff") == Refusal::not_in_record);
  CHECK(why.at(by_id(items, r, "nuts").key) == Refusal::out_of_scope);
  const json bundle = json::parse(share.parts.at(0).text);
  REQUIRE(bundle["entry"].size() == 2);
  CHECK(bundle["entry"][0]["resource"]["code"]["coding"][0]["code"] == "44054006");
  for (const char* word : {"anxiety", "Sprain", "Influenza", "Heart rate", "A1c", "metformin", "Silva"}) {
    INFO(word);
    CHECK(share.parts.at(0).text.find(word) == std::string::npos);
    CHECK(share.parts.at(1).text.find(word) == std::string::npos);
  }
}

TEST_CASE("consent items name tests as the summary does, the record's own words kept", "[consent][words]") {
  const chartlock::Record r = test::ingest_one(test::bundle({
      R"({"resourceType":"DiagnosticReport","id":"lipids","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"24331-1","display":"Lipid 1996 panel - Serum or Plasma"}]},"effectiveDateTime":"2021-06-01"})",
      R"({"resourceType":"DiagnosticReport","id":"tsh","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"3016-3","display":"Thyrotropin [Units/volume] in Serum or Plasma"}]},"effectiveDateTime":"2021-06-01"})",
      R"({"resourceType":"Observation","id":"odd","status":"final","category":[{"coding":[{"code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"99999-9","display":"Widget factor [Mass/volume] in Serum or Plasma by Immunoassay"}]},"effectiveDateTime":"2021-06-01","valueQuantity":{"value":1,"unit":"mg/L"}})"}),
      "clinic");
  std::vector<std::string> labels, recorded;
  for (const auto& c : chartlock::consent_catalog(r)) {
    labels.push_back(c.label);
    recorded.push_back(c.recorded);
  }
  std::sort(labels.begin(), labels.end());
  CHECK(labels == std::vector<std::string>{"Lipid panel", "TSH (thyroid stimulating hormone)", "Widget factor"});
  CHECK(std::find(recorded.begin(), recorded.end(), "Lipid 1996 panel - Serum or Plasma") != recorded.end());
}
