// SPDX-License-Identifier: Apache-2.0
// simdjson "wasm" kernel (WebAssembly SIMD128) for Chartlock's wasm build, written
// after simdjson 3.0.1's arm64 (NEON) kernel, of which it is a derived work:
// simdjson is Copyright 2018-2023 The simdjson authors, under the Apache License,
// Version 2.0 (its source package's LICENSE). See third_party/simdjson-wasm/README.md.
#include "simdjson/wasm/begin.h"

namespace simdjson {
namespace SIMDJSON_IMPLEMENTATION {

simdjson_warn_unused error_code implementation::create_dom_parser_implementation(
  size_t capacity,
  size_t max_depth,
  std::unique_ptr<internal::dom_parser_implementation>& dst
) const noexcept {
  dst.reset( new (std::nothrow) dom_parser_implementation() );
  if (!dst) { return MEMALLOC; }
  if (auto err = dst->set_capacity(capacity))
    return err;
  if (auto err = dst->set_max_depth(max_depth))
    return err;
  return SUCCESS;
}

} // namespace SIMDJSON_IMPLEMENTATION
} // namespace simdjson

#include "simdjson/wasm/end.h"
