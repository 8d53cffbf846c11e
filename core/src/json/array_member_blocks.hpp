// SPDX-License-Identifier: Apache-2.0
// The splitter's scan over a container, 64 bytes at a time (internal to
// core/src/json; array_member.cpp uses it, its test checks it). A Bundle is
// dense — a quote or bracket every 7 bytes, strings of 15 on average — so a
// scan that stops at each mark (a byte loop between strings, memchr within
// them) pays per mark; this one pays per block: it classifies 64 bytes into
// bitmasks, finds which bytes lie inside strings with a prefix XOR of the
// unescaped quotes (simdjson's stage 1 does the same), and looks at single
// brackets only in a block where the depth may reach zero.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace chartlock::json::blocks {

// One bit per byte of a 64-byte block, byte i at bit i.
struct Marks {
  std::uint64_t quote = 0;
  std::uint64_t backslash = 0;
  // '{', '[', '}' or ']': which, the byte says (bit 1 set in an opening
  // one: 0x7B, 0x5B against 0x7D, 0x5D).
  std::uint64_t bracket = 0;
};

// With SSE2 natively or SIMD128 in wasm (wasm/CMakeLists.txt compiles this
// file with -msimd128); else classify_bytes. `backslash` is left 0 when the
// block has none.
Marks classify(const char* block);
// A byte at a time: the portable path, and the reference the test holds
// classify to.
Marks classify_bytes(const char* block);

// `text` starts at a container ('{' or '['): the size of that container
// through its matching close, as Scanner::skip_value measures it (brackets
// counted alike whatever their kind, strings skipped, nothing else checked),
// or 0 when the text ends first. Without SSE2 or SIMD128, Scanner's scan.
std::size_t container_size(std::string_view text);
// Whether this build has the block scan (SSE2 or SIMD128): without it,
// container_size is Scanner's and the block tests compare it with itself.
bool has_block_scan();

}  // namespace chartlock::json::blocks
