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
};

}  // namespace chartlock
