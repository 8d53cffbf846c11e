// SPDX-License-Identifier: Apache-2.0
// Whole-input failures: each must be an IngestError with its own code and a
// message that names the source — never a crash, never a partial record.
#include <catch2/catch.hpp>

#include "ingest_support.hpp"

using chartlock::DiagnosticCode;
using chartlock::IngestError;
using chartlock::IngestOptions;

namespace {
DiagnosticCode code_of(const std::string& json, IngestOptions options = {}) {
  try {
    test::ingest_one(json, "input.json", options);
  } catch (const IngestError& e) {
    CHECK(e.diagnostic().source == "input.json");
    CHECK(std::string(e.what()).rfind("input.json: ", 0) == 0);
    return e.diagnostic().code;
  }
  FAIL("no IngestError for: " << json.substr(0, 80));
  return DiagnosticCode::bad_resource;
}

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}
}  // namespace

TEST_CASE("malformed JSON is rejected with malformed-json", "[ingest][json]") {
  CHECK(code_of("") == DiagnosticCode::malformed_json);
  CHECK(code_of("   \n") == DiagnosticCode::malformed_json);
  CHECK(code_of("{") == DiagnosticCode::malformed_json);
  CHECK(code_of(R"({"resourceType":"Patient",})") == DiagnosticCode::malformed_json);
  CHECK(code_of(R"({"resourceType":"Patient"} trailing)") == DiagnosticCode::malformed_json);
  CHECK(code_of(R"({"resourceType":'Patient'})") == DiagnosticCode::malformed_json);
  CHECK(code_of(R"({"a": NaN})") == DiagnosticCode::malformed_json);
  CHECK(code_of(R"({"a": Infinity})") == DiagnosticCode::malformed_json);
  CHECK(code_of(R"({"a": 1e400})") == DiagnosticCode::malformed_json);
  CHECK(code_of(R"({"a": "unterminated})") == DiagnosticCode::malformed_json);
}

TEST_CASE("input that is not UTF-8 is rejected", "[ingest][json]") {
  std::string bad = R"({"resourceType":"Patient","name":[{"text":"X"}]})";
  bad[bad.find('X')] = '\xff';
  CHECK(code_of(bad) == DiagnosticCode::malformed_json);
  CHECK_THAT(test::ingest_error(bad), Catch::Contains("UTF-8"));
}

TEST_CASE("JSON that is not a FHIR resource is rejected with not-fhir", "[ingest][json]") {
  CHECK(code_of("[]") == DiagnosticCode::not_fhir);
  CHECK(code_of("42") == DiagnosticCode::not_fhir);
  CHECK(code_of(R"("text")") == DiagnosticCode::not_fhir);
  CHECK(code_of("{}") == DiagnosticCode::not_fhir);
  CHECK(code_of(R"({"resourceType": 7})") == DiagnosticCode::not_fhir);
  CHECK_THAT(test::ingest_error("[1,2]"), Catch::Contains("found an array"));
}

TEST_CASE("the depth limit holds, and is exactly the configured depth", "[ingest][json][limits]") {
  IngestOptions options;
  options.limits.max_depth = 16;
  const std::string at_limit =
      R"({"resourceType":"Basic","x":)" + nested(options.limits.max_depth - 1) + "}";
  CHECK_NOTHROW(test::ingest_one(at_limit, "t", options));
  const std::string over =
      R"({"resourceType":"Basic","x":)" + nested(options.limits.max_depth) + "}";
  CHECK(code_of(over, options) == DiagnosticCode::too_deep);
}

TEST_CASE("deep hostile nesting fails fast under the default limit", "[ingest][json][limits]") {
  CHECK(code_of(nested(100000)) == DiagnosticCode::too_deep);
  CHECK(code_of(R"({"resourceType":"Basic","x":)" + nested(65) + "}") == DiagnosticCode::too_deep);
}

TEST_CASE("the size limit holds", "[ingest][json][limits]") {
  IngestOptions options;
  options.limits.max_bytes = 64;
  const std::string small = R"({"resourceType":"Patient"})";
  CHECK_NOTHROW(test::ingest_one(small, "t", options));
  const std::string big = R"({"resourceType":"Patient","id":")" + std::string(100, 'a') + R"("})";
  CHECK(code_of(big, options) == DiagnosticCode::too_large);
  CHECK_THAT(test::ingest_error(big, options), Catch::Contains("the limit is 64"));
}

TEST_CASE("the resource-count limit holds for Bundles and NDJSON, per source", "[ingest][json][limits]") {
  IngestOptions options;
  options.limits.max_resources = 3;
  const std::string obs = R"({"resourceType":"Observation","status":"final","code":{"text":"x"}})";
  CHECK_NOTHROW(test::ingest_one(test::bundle({obs, obs, obs}), "t", options));
  const std::string four = test::bundle({obs, obs, obs, obs});
  CHECK(code_of(four, options) == DiagnosticCode::too_large);
  CHECK_THAT(test::ingest_error(four, options), Catch::Contains("too many resources in one source: the limit is 3"));

  // NDJSON says the line where the limit was passed.
  const std::string lines = obs + "\n" + obs + "\n" + obs + "\n" + obs + "\n";
  try {
    test::ingest_one(lines, "export.ndjson", options);
    FAIL("no IngestError");
  } catch (const IngestError& e) {
    CHECK(e.diagnostic().code == DiagnosticCode::too_large);
    CHECK(e.diagnostic().line == 4);
  }

  // The count is per source: three and three more, from two sources, is fine.
  chartlock::RecordBuilder builder(options);
  builder.add({"a.json", test::bundle({obs, obs, obs})});
  builder.add({"b.json", test::bundle({obs, obs, obs})});
  CHECK(builder.finish().sources.size() == 2);
}

TEST_CASE("a failing source leaves earlier sources in the builder intact", "[ingest][json]") {
  chartlock::RecordBuilder builder;
  const std::string good = R"({"resourceType":"Patient","birthDate":"1970-01-01"})";
  builder.add({"good.json", good});
  CHECK_THROWS_AS(builder.add({"bad.json", "{oops"}), IngestError);
  const chartlock::Record r = builder.finish();
  CHECK(r.patient.birthDate == "1970-01-01");
  REQUIRE(r.sources.size() == 1);
  CHECK(r.sources[0].name == "good.json");
  CHECK(r.counts.at("Patient") == 1);
}

TEST_CASE("inputs with padding are parsed in place and give the same record", "[ingest][json]") {
  const std::string json = test::bundle({R"({"resourceType":"Patient","gender":"female"})"});
  std::string padded = json + std::string(chartlock::json_padding, ' ');
  chartlock::Source source{"p", std::string_view(padded.data(), json.size())};
  source.padding = chartlock::json_padding;
  const auto a = chartlock::ingest({source});
  const auto b = test::ingest_one(json, "p");
  CHECK(chartlock::record_to_json_text(a) == chartlock::record_to_json_text(b));
}

TEST_CASE("diagnostics never echo input values", "[ingest][json][privacy]") {
  const std::string secret = "Zebediah-Secret-Name";
  const std::string json = test::bundle({
      R"({"resourceType":"Patient","name":[{"family":")" + secret + R"(","given":")" + secret + R"("}],"birthDate":")" + secret + R"("})",
      R"({"resourceType":"Observation","status":"final","code":{"text":")" + secret + R"("},"effectiveDateTime":")" + secret + R"(","valueQuantity":{"value":")" + secret + R"("}})"});
  const auto r = test::ingest_one(json);
  REQUIRE(r.warnings.size() >= 3);
  for (const auto& w : r.warnings) CHECK(w.to_string().find(secret) == std::string::npos);
}
