// SPDX-License-Identifier: Apache-2.0
// Bad options and failing streams are reported, not written around.
#include <catch2/catch.hpp>

#include "synth/synth_test_util.hpp"

using namespace synth_test;
using chartlock::synth::validate;

TEST_CASE("invalid options are rejected with a reason", "[synth]") {
  GeneratorOptions o;
  CHECK_NOTHROW(validate(o));
  o.providers = 0;
  CHECK_THROWS_WITH(validate(o), Catch::Contains("providers"));
  o.providers = 17;
  CHECK_THROWS_AS(validate(o), std::invalid_argument);
  o = GeneratorOptions{};
  o.overlap_percent = 101;
  CHECK_THROWS_WITH(validate(o), Catch::Contains("overlap"));
  o = GeneratorOptions{};
  o.bundle_type = "document";
  CHECK_THROWS_WITH(validate(o), Catch::Contains("document"));
  o = GeneratorOptions{};
  o.target_bytes = 0;
  CHECK_THROWS_WITH(validate(o), Catch::Contains("size"));
  o = GeneratorOptions{};
  o.format = GeneratorOptions::Format::ndjson;
  o.bundle_type = "ignored for ndjson";
  CHECK_NOTHROW(validate(o));
}

TEST_CASE("one stream per provider is required", "[synth]") {
  std::ostringstream one;
  GeneratorOptions o;
  o.providers = 2;
  CHECK_THROWS_AS(chartlock::synth::generate(o, {&one}), std::invalid_argument);
  CHECK_THROWS_AS(chartlock::synth::generate(o, {&one, nullptr}), std::invalid_argument);
}

TEST_CASE("a failing stream is an error", "[synth]") {
  std::ostringstream broken;
  broken.setstate(std::ios::badbit);
  GeneratorOptions o;
  o.target_bytes = 8 * 1024;
  CHECK_THROWS_AS(chartlock::synth::generate(o, {&broken}), std::runtime_error);
}

TEST_CASE("the truth serializes with what a test needs", "[synth]") {
  const Run r = run(options(51, 32 * 1024, 2));
  const json j = to_json(r.truth);
  CHECK(j.at("patient").at("family") == r.truth.patient.family);
  CHECK(j.at("providers").size() == 2);
  CHECK(j.at("providers")[0].at("bytes") == r.outputs[0].size());
  CHECK(j.at("expectedMerged").at("Patient") == 1);
  CHECK(j.at("options").at("seed") == 51);
}
