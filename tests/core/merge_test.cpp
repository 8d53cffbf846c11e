// SPDX-License-Identifier: Apache-2.0
// Merging across sources: the same fact from two providers is one item with
// two provenance entries; anything less than the same fact stays apart.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "ingest_support.hpp"
#include "merge/identity.hpp"

using chartlock::DiagnosticCode;

namespace {
std::string glucose(const std::string& id, const std::string& when, double value,
                    const std::string& unit = "mg/dL", const std::string& extra = "") {
  char v[32];
  std::snprintf(v, sizeof v, "%g", value);
  return R"({"resourceType":"Observation","id":")" + id + R"(","meta":{"lastUpdated":"2024-01-01T00:00:00Z"},"status":"final",)"
         R"("code":{"coding":[{"system":"http://loinc.org","code":"2345-7","display":"Glucose"}]},)"
         R"("effectiveDateTime":")" + when + R"(","valueQuantity":{"value":)" + v + R"(,"unit":")" + unit +
         R"(","system":"http://unitsofmeasure.org","code":")" + unit + "\"}" + extra + "}";
}
}  // namespace

TEST_CASE("the same fact from two providers becomes one item with both provenances", "[ingest][merge]") {
  const auto r = test::ingest_all({
      {"clinic-a", test::bundle({glucose("a1", "2021-05-01T09:00:00Z", 95)})},
      {"clinic-b", test::bundle({glucose("b7", "2021-05-01T09:00:00Z", 95.0)})}});
  REQUIRE(r.observations.size() == 1);
  const auto& sources = r.observations[0].sources;
  REQUIRE(sources.size() == 2);
  CHECK(sources[0].source == "clinic-a");
  CHECK(sources[0].id() == "a1");
  CHECK(sources[1].source == "clinic-b");
  CHECK(sources[1].id() == "b7");
  CHECK(sources[1].lastUpdated() == "2024-01-01T00:00:00Z");
  CHECK(sources[1].pointer() == "/entry/0/resource");
  CHECK(r.counts.at("Observation") == 2);
}

TEST_CASE("the same moment written in two time zones is the same time", "[ingest][merge]") {
  const auto r = test::ingest_all({
      {"a", glucose("a", "2021-05-01T09:00:00-04:00", 95)},
      {"b", glucose("b", "2021-05-01T13:00:00Z", 95)},
      {"c", glucose("c", "2021-05-01T15:00:00.000+02:00", 95)}});
  REQUIRE(r.observations.size() == 1);
  CHECK(r.observations[0].sources.size() == 3);
}

TEST_CASE("a different time, value, unit or code keeps facts apart", "[ingest][merge]") {
  const auto r = test::ingest_all({
      {"a", glucose("a", "2021-05-01", 95)},
      {"b", glucose("b", "2021-05-02", 95)},
      {"c", glucose("c", "2021-05-01", 96)},
      {"d", glucose("d", "2021-05-01", 95, "mmol/L")},
      {"e", R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2339-0"}]},"effectiveDateTime":"2021-05-01","valueQuantity":{"value":95,"unit":"mg/dL","code":"mg/dL"}})"}});
  CHECK(r.observations.size() == 5);
}

TEST_CASE("within one source, identical facts with different ids stay apart", "[ingest][merge]") {
  const auto r = test::ingest_all({
      {"a", test::bundle({glucose("a1", "2021-05-01", 95), glucose("a2", "2021-05-01", 95)})},
      {"b", test::bundle({glucose("b1", "2021-05-01", 95), glucose("b2", "2021-05-01", 95),
                          glucose("b3", "2021-05-01", 95)})}});
  // a1+b1, a2+b2, and b3 alone.
  REQUIRE(r.observations.size() == 3);
  CHECK(r.observations[0].sources.size() == 2);
  CHECK(r.observations[1].sources.size() == 2);
  CHECK(r.observations[2].sources.size() == 1);
  CHECK(r.observations[0].key != r.observations[1].key);
  CHECK(r.observations[1].key != r.observations[2].key);
}

TEST_CASE("a merged item gains what the first copy lacked", "[ingest][merge]") {
  const std::string range =
      R"(,"referenceRange":[{"low":{"value":70,"unit":"mg/dL"},"high":{"value":99,"unit":"mg/dL"}}])";
  const auto r = test::ingest_all({
      {"a", glucose("a", "2021-05-01", 95)}, {"b", glucose("b", "2021-05-01", 95, "mg/dL", range)}});
  REQUIRE(r.observations.size() == 1);
  REQUIRE(r.observations[0].referenceRange.size() == 1);
  CHECK(r.observations[0].referenceRange[0].high->value == Approx(99));
}

TEST_CASE("links from a merged item's second copy still resolve", "[ingest][merge][references]") {
  const std::string report_a = R"({"resourceType":"DiagnosticReport","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"24323-8"}]},"effectiveDateTime":"2021-05-01","result":[{"reference":"Observation/a"}]})";
  const std::string report_b = R"({"resourceType":"DiagnosticReport","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"24323-8"}]},"effectiveDateTime":"2021-05-01","result":[{"reference":"Observation/b"},{"reference":"Observation/b2"}]})";
  const auto r = test::ingest_all({
      {"a", test::bundle({report_a, glucose("a", "2021-05-01", 95)})},
      {"b", test::bundle({report_b, glucose("b", "2021-05-01", 95), glucose("b2", "2021-05-01", 180)})}});
  REQUIRE(r.reports.size() == 1);
  REQUIRE(r.observations.size() == 2);
  CHECK(r.reports[0].results == std::vector<chartlock::ShortText>{r.observations[0].key, r.observations[1].key});
}

TEST_CASE("every kind of item merges on its own identity", "[ingest][merge]") {
  const std::string b = test::bundle({
      R"({"resourceType":"Condition","code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003"}]},"onsetDateTime":"2015-01-01"})",
      R"({"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"314076"}]},"authoredOn":"2015-01-02"})",
      R"({"resourceType":"AllergyIntolerance","code":{"coding":[{"system":"http://snomed.info/sct","code":"91936005"}]},"recordedDate":"2010-01-01"})",
      R"({"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},"occurrenceDateTime":"2020-10-01"})",
      R"({"resourceType":"Procedure","status":"completed","code":{"coding":[{"system":"http://snomed.info/sct","code":"73761001"}]},"performedDateTime":"2018-01-01"})",
      R"({"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"period":{"start":"2018-01-01T09:00:00Z"}})",
      R"({"resourceType":"Goal","lifecycleStatus":"active","description":{"text":"Walk"},"startDate":"2019-01-01"})",
      R"({"resourceType":"Patient","gender":"female","birthDate":"1970-01-01"})",
      R"({"resourceType":"Claim","id":"c1"})"});
  const auto r = test::ingest_all({{"a", b}, {"b", b}});
  for (std::size_t n : {r.conditions.size(), r.medications.size(), r.allergies.size(),
                        r.immunizations.size(), r.procedures.size(), r.encounters.size(),
                        r.goals.size()}) {
    CHECK(n == 1);
  }
  CHECK(r.conditions[0].sources.size() == 2);
  CHECK(r.patient.sources.size() == 2);
  CHECK(r.other.size() == 2);  // resources the model does not read are never merged
}

TEST_CASE("sources whose patients are two people are never merged", "[ingest][merge][persons]") {
  // Different birth dates and sex: two people, whatever else they share.
  CHECK_THROWS_AS(test::ingest_all({
                      {"a", R"({"resourceType":"Patient","gender":"female","birthDate":"1970-01-01"})"},
                      {"b", R"({"resourceType":"Patient","gender":"male","birthDate":"1971-01-01"})"}}),
                  chartlock::DifferentPersons);
}

TEST_CASE("one person whose sources disagree on a detail is merged, the difference flagged", "[ingest][merge][persons]") {
  // A typo in the birth date, everything else the same: one person; the field is warned about.
  const auto r = test::ingest_all({
      {"a", R"({"resourceType":"Patient","name":[{"family":"Lima","given":["Ana"]}],"gender":"female","birthDate":"1970-01-12","telecom":[{"system":"phone","value":"555-0100"}]})"},
      {"b", R"({"resourceType":"Patient","name":[{"family":"Lima","given":["Ana"]}],"gender":"female","birthDate":"1970-01-21","telecom":[{"system":"phone","value":"(555) 0100"}]})"}});
  CHECK(r.patient.birthDate == "1970-01-12");
  CHECK(r.patient.sources.size() == 2);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].source == "b");
  CHECK(r.warnings[0].code == DiagnosticCode::invalid_value);
}

TEST_CASE("keys are stable across runs and independent of other sources' order", "[ingest][merge]") {
  const std::string a = test::bundle({glucose("a", "2021-05-01", 95), glucose("a2", "2021-06-01", 99)});
  const std::string b = test::bundle({glucose("b", "2021-06-01", 99)});
  const auto ab = test::ingest_all({{"a", a}, {"b", b}});
  const auto ba = test::ingest_all({{"b", b}, {"a", a}});
  const auto again = test::ingest_all({{"a", a}, {"b", b}});
  CHECK(chartlock::record_to_json_text(ab) == chartlock::record_to_json_text(again));
  std::set<std::string> keys_ab, keys_ba;
  for (const auto& o : ab.observations) keys_ab.insert(o.key);
  for (const auto& o : ba.observations) keys_ba.insert(o.key);
  CHECK(keys_ab == keys_ba);
}

TEST_CASE("equal items of one source: the identity's key, then -2, -3", "[ingest][merge]") {
  const auto r = test::ingest_one(test::bundle({glucose("g1", "2021-05-01", 95), glucose("g2", "2021-05-01", 95),
                                                glucose("g3", "2021-06-01", 95), glucose("g4", "2021-05-01", 95)}));
  REQUIRE(r.observations.size() == 4);
  const std::string& first = r.observations[0].key;
  CHECK(first.size() == 4 + 16);  // "obs-" and the identity's hash in hex
  CHECK(first.rfind("obs-", 0) == 0);
  CHECK(first.find_first_not_of("0123456789abcdef", 4) == std::string::npos);
  CHECK(r.observations[1].key == first + "-2");
  CHECK(r.observations[2].key.size() == first.size());
  CHECK(r.observations[2].key != first);
  CHECK(r.observations[3].key == first + "-3");
}

TEST_CASE("many identities of one source each number their own keys, and a later source's go on", "[ingest][merge]") {
  // Sixty identities, four items each, interleaved: enough for identities
  // to share a first slot of the keys' table, each counting alone.
  std::vector<std::string> resources;
  for (int round = 0; round < 4; ++round) {
    for (int v = 0; v < 60; ++v) {
      resources.push_back(glucose("g" + std::to_string(round) + "-" + std::to_string(v), "2021-05-01", 80 + v));
    }
  }
  const auto r = test::ingest_one(test::bundle(resources));
  REQUIRE(r.observations.size() == 240);
  std::set<std::string> firsts;
  for (std::size_t v = 0; v < 60; ++v) {
    const std::string& first = r.observations[v].key;
    CHECK(first.size() == 4 + 16);
    firsts.insert(first);
    for (std::size_t round = 1; round < 4; ++round) {
      CHECK(r.observations[round * 60 + v].key == first + "-" + std::to_string(round + 1));
    }
  }
  CHECK(firsts.size() == 60);
  // A second source's items make the table grow: the counts it held go on
  // (the third equal item of b, with both of a's taken, is the third key).
  std::vector<std::string> b;
  for (int v = 0; v < 40; ++v) b.push_back(glucose("b" + std::to_string(v), "2021-07-01", 80 + v));
  for (int i = 0; i < 3; ++i) b.push_back(glucose("bx" + std::to_string(i), "2021-05-01", 500));
  const auto two = test::ingest_all({{"a", test::bundle({glucose("a1", "2021-05-01", 500), glucose("a2", "2021-05-01", 500)})},
                                     {"b", test::bundle(b)}});
  REQUIRE(two.observations.size() == 43);
  const std::string& k = two.observations[0].key;
  CHECK(two.observations[1].key == k + "-2");
  CHECK(two.observations.back().key == k + "-3");
}

TEST_CASE("a resource listed twice in one source is read once, and counted twice", "[ingest][merge]") {
  const std::string page = glucose("g1", "2021-05-01", 95);
  const auto r = test::ingest_one(test::bundle({page, page, glucose("g2", "2021-05-01", 95)}, "searchset"));
  CHECK(r.observations.size() == 2);  // g1 once, and g2 (another resource with the same content)
  CHECK(r.counts.at("Observation") == 3);
  CHECK(r.warnings.empty());
  const std::string no_id = R"({"resourceType":"Observation","status":"final","code":{"text":"x"}})";
  const std::string json = R"({"resourceType":"Bundle","type":"searchset","entry":[{"fullUrl":"urn:uuid:1","resource":)" +
                           no_id + R"(},{"fullUrl":"urn:uuid:1","resource":)" + no_id + "}]}";
  CHECK(test::ingest_one(json).observations.size() == 1);
}

TEST_CASE("an identity's number is written as %.15g writes it", "[ingest][merge]") {
  // format_g15 proves most values short and writes them itself; snprintf is
  // what it must equal, for every value it is given.
  std::vector<double> values{0.0,     -0.0,    0.1,      0.5,     1.0,      5.1,      5.10,     98.6,
                             -7.25,   0.0001,  0.00011,  0.00001, 0.000099, 1e-5,     1e-300,   4.9e-324,
                             1e14,    1e15,    1e15 - 1, 1e15 + 1, 999999999999999.5, 1e16, 1e300, 1.7976931348623157e308,
                             0.30000000000000004, 1.0 / 3, 2.0 / 3, 123456789012345.6, 12345678901234.56,
                             0.1 + 0.2, 9.999999999999999, 9.9999999999999995, 0.99999999999999989};
  // Decimals of 1-17 significant digits at every scale, their neighbours a
  // unit in the last place away, and random bit patterns.
  std::uint64_t x = 0x2545f4914f6cdd1dull;
  const auto next = [&x] { return x = x * 6364136223846793005ull + 1442695040888963407ull; };
  for (int i = 0; i < 60000; ++i) {
    const int digits = 1 + static_cast<int>(next() >> 33) % 17;
    const int exponent = static_cast<int>(next() >> 33) % 30 - 12;
    std::uint64_t mantissa = next() >> 4;
    std::uint64_t bound = 1;
    for (int d = 0; d < digits; ++d) bound *= 10;
    mantissa %= bound;
    char text[64];
    std::snprintf(text, sizeof text, "%llue%d", static_cast<unsigned long long>(mantissa), exponent - digits);
    const double v = std::strtod(text, nullptr);
    values.push_back(v);
    values.push_back(-v);
    values.push_back(std::nextafter(v, 0.0));
    values.push_back(std::nextafter(v, 1e308));
    std::uint64_t bits = next();
    double random;
    std::memcpy(&random, &bits, sizeof random);
    values.push_back(random);
  }
  values.push_back(std::numeric_limits<double>::infinity());
  values.push_back(-std::numeric_limits<double>::infinity());
  values.push_back(std::numeric_limits<double>::quiet_NaN());
  for (const double v : values) {
    char want[64], got[32];
    std::snprintf(want, sizeof want, "%.15g", v);
    const std::size_t n = chartlock::merge::format_g15(v, got);
    INFO(want);
    REQUIRE(std::string(got, n) == want);
  }
}
