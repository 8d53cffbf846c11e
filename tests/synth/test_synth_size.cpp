// SPDX-License-Identifier: Apache-2.0
// Outputs reach their target size, from a few kilobytes to megabytes.
#include <catch2/catch.hpp>

#include "synth/synth_test_util.hpp"

using namespace synth_test;

TEST_CASE("each output is within 10% of the target size", "[synth]") {
  for (const std::uint64_t target : {8u << 10, 16u << 10, 64u << 10, 256u << 10, 1u << 20, 5u << 20}) {
    for (const int providers : {1, 2}) {
      if (target == (5u << 20) && providers == 2) continue;  // keep the suite quick under wasm
      CAPTURE(target, providers);
      const Run r = run(options(40 + target % 7, target, providers));
      for (std::size_t p = 0; p < r.outputs.size(); ++p) {
        const auto size = static_cast<double>(r.outputs[p].size());
        CHECK(size >= 0.9 * static_cast<double>(target));
        CHECK(size <= 1.1 * static_cast<double>(target));
        CHECK(r.truth.providers[p].bytes == r.outputs[p].size());
      }
    }
  }
}

TEST_CASE("a tiny target gives the minimum: the patient and an observation", "[synth]") {
  const Run r = run(options(41, 1024));
  const auto all = resources(r.outputs[0], GeneratorOptions::Format::bundle);
  const auto counts = count_types(all);
  CHECK(counts.at("Patient") == 1);
  CHECK(counts.at("Observation") >= 1);
  CHECK(r.outputs[0].size() < 4096);
}

TEST_CASE("a larger target means a longer history, not just a denser one", "[synth]") {
  const Run small = run(options(42, 64 * 1024));
  const Run large = run(options(42, 2 << 20));
  CHECK(large.truth.visits > 4 * small.truth.visits);
  CHECK(large.truth.history_start <= small.truth.history_start);
  // The history reaches close to the present.
  CHECK(large.truth.history_end >= "2024");
}
