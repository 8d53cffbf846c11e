// SPDX-License-Identifier: Apache-2.0
// simdjson "wasm" kernel (WebAssembly SIMD128) for Chartlock's wasm build, written
// after simdjson 3.0.1's arm64 (NEON) kernel, of which it is a derived work:
// simdjson is Copyright 2018-2023 The simdjson authors, under the Apache License,
// Version 2.0 (its source package's LICENSE). See third_party/simdjson-wasm/README.md.
#ifndef SIMDJSON_WASM_BITMANIPULATION_H
#define SIMDJSON_WASM_BITMANIPULATION_H

namespace simdjson {
namespace SIMDJSON_IMPLEMENTATION {
namespace {

// We sometimes call trailing_zero on inputs that are zero,
// but the algorithms do not end up using the returned value.
// Sadly, sanitizers are not smart enough to figure it out.
SIMDJSON_NO_SANITIZE_UNDEFINED
simdjson_inline int trailing_zeroes(uint64_t input_num) {
  return __builtin_ctzll(input_num); // i64.ctz
}

/* result might be undefined when input_num is zero */
simdjson_inline uint64_t clear_lowest_bit(uint64_t input_num) {
  return input_num & (input_num-1);
}

/* result might be undefined when input_num is zero */
simdjson_inline int leading_zeroes(uint64_t input_num) {
  return __builtin_clzll(input_num); // i64.clz
}

simdjson_inline int count_ones(uint64_t input_num) {
  return __builtin_popcountll(input_num); // i64.popcnt
}

// No bit reversal instruction in wasm: SIMDJSON_PREFER_REVERSE_BITS stays
// undefined, so stage 1 flattens bits with trailing_zeroes as on x64.

simdjson_inline bool add_overflow(uint64_t value1, uint64_t value2, uint64_t *result) {
  return __builtin_uaddll_overflow(value1, value2,
                                   reinterpret_cast<unsigned long long *>(result));
}

} // unnamed namespace
} // namespace SIMDJSON_IMPLEMENTATION
} // namespace simdjson

#endif // SIMDJSON_WASM_BITMANIPULATION_H
