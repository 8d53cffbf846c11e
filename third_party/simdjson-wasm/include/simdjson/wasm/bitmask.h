// SPDX-License-Identifier: Apache-2.0
// simdjson "wasm" kernel (WebAssembly SIMD128) for Chartlock's wasm build, written
// after simdjson 3.0.1's arm64 (NEON) kernel, of which it is a derived work:
// simdjson is Copyright 2018-2023 The simdjson authors, under the Apache License,
// Version 2.0 (its source package's LICENSE). See third_party/simdjson-wasm/README.md.
#ifndef SIMDJSON_WASM_BITMASK_H
#define SIMDJSON_WASM_BITMASK_H

namespace simdjson {
namespace SIMDJSON_IMPLEMENTATION {
namespace {

//
// Perform a "cumulative bitwise xor," flipping bits each time a 1 is encountered.
//
// For example, prefix_xor(00100100) == 00011100
//
// wasm has no carry-less multiply (x64's PCLMULQDQ), so this is the same
// shift-and-xor ladder as the arm64 kernel: six 64-bit shifts and xors.
simdjson_inline uint64_t prefix_xor(uint64_t bitmask) {
  bitmask ^= bitmask << 1;
  bitmask ^= bitmask << 2;
  bitmask ^= bitmask << 4;
  bitmask ^= bitmask << 8;
  bitmask ^= bitmask << 16;
  bitmask ^= bitmask << 32;
  return bitmask;
}

} // unnamed namespace
} // namespace SIMDJSON_IMPLEMENTATION
} // namespace simdjson

#endif // SIMDJSON_WASM_BITMASK_H
