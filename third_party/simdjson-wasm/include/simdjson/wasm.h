// SPDX-License-Identifier: Apache-2.0
// simdjson "wasm" kernel (WebAssembly SIMD128) for Chartlock's wasm build, written
// after simdjson 3.0.1's arm64 (NEON) kernel, of which it is a derived work:
// simdjson is Copyright 2018-2023 The simdjson authors, under the Apache License,
// Version 2.0 (its source package's LICENSE). See third_party/simdjson-wasm/README.md.
#ifndef SIMDJSON_WASM_H
#define SIMDJSON_WASM_H

#include "simdjson/implementation-base.h"

#if SIMDJSON_IMPLEMENTATION_WASM

namespace simdjson {
/**
 * Implementation for WebAssembly SIMD128.
 */
namespace wasm {
} // namespace wasm
} // namespace simdjson

#include "simdjson/wasm/implementation.h"

#include "simdjson/wasm/begin.h"

// Declarations
#include "simdjson/generic/dom_parser_implementation.h"
#include "simdjson/wasm/intrinsics.h"
#include "simdjson/wasm/bitmanipulation.h"
#include "simdjson/wasm/bitmask.h"
#include "simdjson/wasm/simd.h"
#include "simdjson/generic/jsoncharutils.h"
#include "simdjson/generic/atomparsing.h"
#include "simdjson/wasm/stringparsing.h"
#include "simdjson/wasm/numberparsing.h"
#include "simdjson/wasm/end.h"

#endif // SIMDJSON_IMPLEMENTATION_WASM

#endif // SIMDJSON_WASM_H
