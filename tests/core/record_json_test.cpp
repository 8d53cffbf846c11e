// SPDX-License-Identifier: Apache-2.0
// The JSON form of the record (docs/record-schema.md).
#include <catch2/catch.hpp>

#include "ingest_support.hpp"

using json = nlohmann::ordered_json;

namespace {
json record_json(const std::string& input, chartlock::RecordJsonOptions options = {}) {
  return json::parse(chartlock::record_to_json_text(test::ingest_one(input, "src", {}), options));
}
}  // namespace

TEST_CASE("the record JSON has every top-level list, counts, sources and warnings", "[record-json]") {
  const json j = record_json(test::bundle({R"({"resourceType":"Patient","name":[{"given":["A"],"family":"B"}],"gender":"other","birthDate":"2000-01-01"})"}));
  CHECK(j["schema"] == "chartlock.record/1");
  for (const char* key : {"conditions", "observations", "medications", "allergies", "immunizations",
                          "procedures", "encounters", "reports", "documents", "carePlans", "goals",
                          "other", "sources", "warnings"}) {
    INFO(key);
    CHECK(j.at(key).is_array());
  }
  CHECK(j["patient"]["name"] == "A B");
  CHECK(j["patient"]["birthDate"] == "2000-01-01");
  CHECK(j["patient"]["gender"] == "other");
  CHECK(j["counts"]["Patient"] == 1);
  CHECK(j["sources"][0]["name"] == "src");
  CHECK(j["sources"][0]["format"] == "bundle");
}

TEST_CASE("no patient is null, not an empty object", "[record-json]") {
  const json j = record_json(R"({"resourceType":"Observation","status":"final","code":{"text":"x"}})");
  CHECK(j["patient"].is_null());
}

TEST_CASE("observations always carry category, value, effective, ranges, interpretation, components", "[record-json]") {
  const json j = record_json(R"({"resourceType":"Observation","status":"final",
     "code":{"coding":[{"system":"http://snomed.info/sct","code":"1"},{"system":"http://loinc.org","code":"718-7","display":"Hemoglobin"}]},
     "effectiveDateTime":"2020-01-01","valueQuantity":{"value":13.5,"unit":"g/dL","system":"http://unitsofmeasure.org","code":"g/dL"},
     "referenceRange":[{"low":{"value":12,"unit":"g/dL"},"high":{"value":16,"unit":"g/dL"}}]})");
  const json& o = j["observations"][0];
  CHECK(o["code"]["system"] == "http://loinc.org");  // the preferred system, not the first
  CHECK(o["code"]["code"] == "718-7");
  CHECK(o["code"]["codings"].size() == 2);
  CHECK(o["category"] == json::array());
  CHECK(o["effective"] == "2020-01-01");
  CHECK(o["value"]["kind"] == "quantity");
  CHECK(o["value"]["value"] == 13.5);
  CHECK(o["value"]["unit"] == "g/dL");
  CHECK(o["value"]["unitCode"] == "g/dL");
  CHECK(o["referenceRange"][0]["low"]["value"] == 12);
  CHECK(o["referenceRange"][0]["high"]["unit"] == "g/dL");
  CHECK(o["interpretation"] == json::array());
  CHECK(o["components"] == json::array());
  CHECK(o["sources"][0]["source"] == "src");
  CHECK(o["sources"][0]["pointer"] == "");
  CHECK_FALSE(o.contains("resource"));
}

TEST_CASE("an observation without a value says so with null", "[record-json]") {
  const json j = record_json(R"({"resourceType":"Observation","status":"final","code":{"text":"x"}})");
  CHECK(j["observations"][0]["value"].is_null());
  CHECK(j["observations"][0]["effective"].is_null());
}

TEST_CASE("the original resource is included on request, minified but equal", "[record-json]") {
  const std::string input = R"({ "resourceType" : "Condition", "code" : { "text" : "Asthma" }, "extra": [1, 2.5, "x"] })";
  chartlock::RecordJsonOptions options;
  options.include_raw = true;
  const json j = record_json(input, options);
  CHECK(j["conditions"][0]["resource"] == json::parse(input));
}

TEST_CASE("warnings are listed with code, source, pointer and message", "[record-json]") {
  const json j = record_json(R"({"resourceType":"Patient","gender":5})");
  REQUIRE(j["warnings"].size() == 1);
  const json& w = j["warnings"][0];
  CHECK(w["code"] == "wrong-type");
  CHECK(w["source"] == "src");
  CHECK(w["pointer"] == "/gender");
  CHECK(w["message"] == "expected a string, found a number");
  CHECK_FALSE(w.contains("line"));
}

TEST_CASE("the JSON text is deterministic", "[record-json]") {
  const std::string input = test::bundle({
      R"({"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":0.1}})",
      R"({"resourceType":"Observation","status":"final","code":{"text":"y"},"valueQuantity":{"value":1e-7}})"});
  const auto a = chartlock::record_to_json_text(test::ingest_one(input));
  const auto b = chartlock::record_to_json_text(test::ingest_one(input));
  CHECK(a == b);
  CHECK(a.find("0.1") != std::string::npos);
}
