// SPDX-License-Identifier: Apache-2.0
// Every input shape a FHIR server or export produces: Bundles of each type
// (nested ones too), single resources, NDJSON.
#include <catch2/catch.hpp>

#include "ingest_support.hpp"

using chartlock::DiagnosticCode;

namespace {
const std::string patient = R"({"resourceType":"Patient","id":"p1","gender":"female"})";
const std::string obs =
    R"({"resourceType":"Observation","id":"o1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"718-7"}]},"effectiveDateTime":"2020-01-02","valueQuantity":{"value":13.5,"unit":"g/dL"}})";
}  // namespace

TEST_CASE("Bundles of every type are read", "[ingest][formats]") {
  for (const char* type : {"transaction", "collection", "searchset", "document", "batch",
                           "batch-response", "transaction-response", "history", "message"}) {
    INFO(type);
    const auto r = test::ingest_one(test::bundle({patient, obs}, type));
    CHECK(r.patient.present);
    CHECK(r.observations.size() == 1);
    REQUIRE(r.sources.size() == 1);
    CHECK(r.sources[0].format == "bundle");
    CHECK(r.sources[0].bundleType == type);
    CHECK(r.sources[0].resources == 2);
    CHECK(r.warnings.empty());
  }
}

TEST_CASE("a single resource is a source of its own", "[ingest][formats]") {
  const auto r = test::ingest_one(obs);
  CHECK(r.sources.at(0).format == "resource");
  REQUIRE(r.observations.size() == 1);
  CHECK(r.observations[0].sources.at(0).pointer() == "");
  CHECK(r.counts.at("Observation") == 1);
}

TEST_CASE("entries without a resource are skipped quietly", "[ingest][formats]") {
  const std::string json =
      R"({"resourceType":"Bundle","type":"transaction-response","entry":[{"response":{"status":"201 Created"}},{"resource":)" +
      obs + "}]}";
  const auto r = test::ingest_one(json);
  CHECK(r.observations.size() == 1);
  CHECK(r.warnings.empty());
}

TEST_CASE("nested Bundles (a batch-response of searchsets) are read through", "[ingest][formats]") {
  const std::string inner = test::bundle({obs}, "searchset");
  const std::string outer = test::bundle({patient, inner}, "batch-response");
  const auto r = test::ingest_one(outer);
  CHECK(r.observations.size() == 1);
  REQUIRE(r.observations[0].sources.size() == 1);
  CHECK(r.observations[0].sources[0].pointer() == "/entry/1/resource/entry/0/resource");
  CHECK(r.counts.count("Bundle") == 0);
  CHECK(r.sources[0].resources == 2);
}

TEST_CASE("Bundles nested too deep are reported, not read", "[ingest][formats][limits]") {
  std::string b = test::bundle({obs}, "searchset");
  for (int i = 0; i < 5; ++i) b = test::bundle({b}, "batch-response");
  const auto r = test::ingest_one(b);
  CHECK(r.observations.empty());
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].code == DiagnosticCode::bad_resource);
}

TEST_CASE("a searchset's OperationOutcome is kept as another resource", "[ingest][formats]") {
  const std::string json =
      R"({"resourceType":"Bundle","type":"searchset","entry":[{"search":{"mode":"match"},"resource":)" + obs +
      R"(},{"search":{"mode":"outcome"},"resource":{"resourceType":"OperationOutcome","issue":[]}}]})";
  const auto r = test::ingest_one(json);
  CHECK(r.observations.size() == 1);
  REQUIRE(r.other.size() == 1);
  CHECK(r.other[0].resourceType == "OperationOutcome");
}

TEST_CASE("NDJSON is detected and read line by line", "[ingest][formats][ndjson]") {
  std::string obs2 = obs;
  obs2.replace(obs2.find("\"o1\""), 4, "\"o2\"");
  const std::string nd = patient + "\n" + obs + "\r\n\n" + obs2 + "\n";
  const auto r = test::ingest_one(nd, "export.ndjson");
  CHECK(r.sources.at(0).format == "ndjson");
  CHECK(r.patient.present);
  // Two resources with the same content in one source are kept apart.
  CHECK(r.observations.size() == 2);
  CHECK(r.counts.at("Observation") == 2);
}

TEST_CASE("a bad NDJSON line is a warning naming its line; the rest is kept", "[ingest][formats][ndjson]") {
  const std::string nd = patient + "\n{not json}\n[1]\n" + obs + "\n";
  const auto r = test::ingest_one(nd, "export.ndjson");
  CHECK(r.observations.size() == 1);
  REQUIRE(r.warnings.size() == 2);
  CHECK(r.warnings[0].line == 2);
  CHECK(r.warnings[0].code == DiagnosticCode::bad_resource);
  CHECK_THAT(r.warnings[0].to_string(), Catch::StartsWith("export.ndjson:2: "));
  CHECK(r.warnings[1].line == 3);
}

TEST_CASE("field warnings inside NDJSON carry the line", "[ingest][formats][ndjson]") {
  const std::string bad = R"({"resourceType":"Patient","gender":5})";
  const auto r = test::ingest_one(obs + "\n" + bad + "\n", "x.ndjson");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].line == 2);
  CHECK(r.warnings[0].pointer == "/gender");
}

TEST_CASE("NDJSON can be forced, and pretty JSON is not mistaken for it", "[ingest][formats][ndjson]") {
  chartlock::Source s{"one-line", obs};
  s.format = chartlock::Source::Format::ndjson;
  auto r = chartlock::ingest({s});
  CHECK(r.sources.at(0).format == "ndjson");
  CHECK(r.observations.size() == 1);

  const std::string pretty = "{\n  \"resourceType\": \"Patient\",\n  \"gender\": \"male\"\n}\n";
  r = test::ingest_one(pretty);
  CHECK(r.sources.at(0).format == "resource");
  CHECK(r.patient.gender == "male");
}

TEST_CASE("every resource is counted, including types the model does not read", "[ingest][formats]") {
  const auto r = test::ingest_one(test::bundle({
      patient, obs,
      R"({"resourceType":"Claim","id":"c1"})",
      R"({"resourceType":"ExplanationOfBenefit","id":"e1"})",
      R"({"resourceType":"SomethingNew","id":"x"})"}));
  CHECK(r.counts.at("Claim") == 1);
  CHECK(r.counts.at("ExplanationOfBenefit") == 1);
  CHECK(r.counts.at("SomethingNew") == 1);
  CHECK(r.other.size() == 3);
  CHECK(r.warnings.empty());
  std::uint64_t total = 0;
  for (const auto& [type, n] : r.counts) total += n;
  CHECK(total == 5);
}

TEST_CASE("broken entries are warnings; the rest of the bundle is kept", "[ingest][formats]") {
  const std::string json =
      R"({"resourceType":"Bundle","type":"collection","entry":[7,{"resource":"x"},{"resource":{"id":"no-type"}},{"resource":)" +
      obs + "}]}";
  const auto r = test::ingest_one(json);
  CHECK(r.observations.size() == 1);
  CHECK(test::has_warning(r, DiagnosticCode::wrong_type, "/entry/0"));
  CHECK(test::has_warning(r, DiagnosticCode::bad_resource, "/entry/1/resource"));
  CHECK(test::has_warning(r, DiagnosticCode::bad_resource, "/entry/2/resource"));
}

TEST_CASE("Bundle.entry of the wrong type is a warning", "[ingest][formats]") {
  const auto r = test::ingest_one(R"({"resourceType":"Bundle","type":"collection","entry":{}})");
  CHECK(test::has_warning(r, DiagnosticCode::wrong_type, "/entry"));
  CHECK(r.sources.at(0).resources == 0);
}
