// SPDX-License-Identifier: Apache-2.0
// What to generate: one synthetic patient, seen by one or more providers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chartlock::synth {

struct GeneratorOptions {
  // Same seed and options → the same bytes, natively and in wasm.
  std::uint64_t seed = 1;
  // Bytes per provider. History grows until each output is within ±10% of
  // this (from 8 KB up); smaller targets get the minimum: the Patient, one
  // Observation and whatever else fits (about 3 KB).
  std::uint64_t target_bytes = 256 * 1024;
  int providers = 1;  // 1 … kMaxProviders

  enum class Format { bundle, ndjson };
  Format format = Format::bundle;
  // For Format::bundle: one of supported_bundle_types().
  std::string bundle_type = "collection";
  // Share of facts (0–100) also written, identically, to a second provider.
  int overlap_percent = 30;
  // The present, in Unix seconds: statuses ("active", "resolved") are as of
  // this moment and nothing happens after it. Fixed so output is reproducible.
  std::int64_t now = 1767225600;  // 2026-01-01T00:00:00Z
};

inline constexpr int kMaxProviders = 16;
inline constexpr std::uint64_t kMaxTargetBytes = std::uint64_t{16} << 30;  // 16 GiB

// "document", "message", "history" and "batch" are left out: a document's
// Composition must list every entry before the first one is written, which a
// streaming writer cannot do, and the others are not how records are exported.
const std::vector<std::string>& supported_bundle_types();

// Throws std::invalid_argument naming the bad option and what is allowed.
void validate(const GeneratorOptions& options);

const char* to_string(GeneratorOptions::Format format);

}  // namespace chartlock::synth
