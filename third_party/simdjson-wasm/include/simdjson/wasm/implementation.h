// SPDX-License-Identifier: Apache-2.0
// simdjson "wasm" kernel (WebAssembly SIMD128) for Chartlock's wasm build, written
// after simdjson 3.0.1's arm64 (NEON) kernel, of which it is a derived work:
// simdjson is Copyright 2018-2023 The simdjson authors, under the Apache License,
// Version 2.0 (its source package's LICENSE). See third_party/simdjson-wasm/README.md.
#ifndef SIMDJSON_WASM_IMPLEMENTATION_H
#define SIMDJSON_WASM_IMPLEMENTATION_H

#include "simdjson/base.h"
#include "simdjson/internal/isadetection.h"

namespace simdjson {
namespace wasm {

namespace {
using namespace simdjson;
using namespace simdjson::dom;
}

// No runtime detection: a module compiled with -msimd128 does not load at all
// on an engine without SIMD128, so this kernel needs no instruction set.
class implementation final : public simdjson::implementation {
public:
  simdjson_inline implementation() : simdjson::implementation("wasm", "WebAssembly SIMD128", internal::instruction_set::DEFAULT) {}
  simdjson_warn_unused error_code create_dom_parser_implementation(
    size_t capacity,
    size_t max_length,
    std::unique_ptr<internal::dom_parser_implementation>& dst
  ) const noexcept final;
  simdjson_warn_unused error_code minify(const uint8_t *buf, size_t len, uint8_t *dst, size_t &dst_len) const noexcept final;
  simdjson_warn_unused bool validate_utf8(const char *buf, size_t len) const noexcept final;
};

} // namespace wasm
} // namespace simdjson

#endif // SIMDJSON_WASM_IMPLEMENTATION_H
