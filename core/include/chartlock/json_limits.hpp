// SPDX-License-Identifier: Apache-2.0
// Limits on untrusted JSON. A FHIR server we do not control must not be able
// to make the core use unbounded memory or stack (see docs/limits.md).
#pragma once

#include <cstddef>

namespace chartlock {

struct JsonLimits {
  // Largest single input (one Bundle, one resource, or one NDJSON file).
  // Parsing needs about 2× the input in memory, so 512 MiB keeps the
  // worst case within a 32-bit wasm address space with room for the record.
  std::size_t max_bytes = std::size_t{512} * 1024 * 1024;
  // Deepest nesting of objects and arrays. Real FHIR stays under 20 (a
  // contained resource in a Bundle entry in a batch-response is about 12);
  // 64 is generous and keeps every recursive walk shallow.
  std::size_t max_depth = 64;
  // Bundles nested in Bundles (a batch-response of searchsets).
  std::size_t max_bundle_nesting = 4;
  // Resources in one source. The byte limit alone bounds memory only by a
  // multiple of itself: every resource costs the record about 1.3 KB, so
  // 512 MiB of minimal resources would need some 13 GB. A lifetime export is
  // tens of thousands; a million keeps the worst case near 1.3 GB natively.
  std::size_t max_resources = 1'000'000;
};

}  // namespace chartlock
