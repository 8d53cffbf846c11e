// SPDX-License-Identifier: Apache-2.0
// FNV-1a, 64-bit: a stable hash of a few bytes, the same natively and in
// wasm (std::hash is neither stable nor portable). Not keyed: only for keys
// the record writes (item keys, IPS UUIDs) and tables over our own data —
// tables keyed by input text use KeyedHash (keyed_hash.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace chartlock::text {

inline constexpr std::uint64_t kFnv1aBasis = 14695981039346656037ull;

// Given `h` from a previous piece, it goes on: the hash of a text is that of
// its pieces in order.
inline std::uint64_t fnv1a(std::string_view s, std::uint64_t h = kFnv1aBasis) {
  constexpr std::uint64_t prime = 1099511628211ull;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size();
  // Four bytes a turn: the loop's count and branch were a third of its
  // instructions (an item's identity is about 100 bytes). The same bytes in order.
  for (; n >= 4; p += 4, n -= 4) {
    h = (h ^ p[0]) * prime;
    h = (h ^ p[1]) * prime;
    h = (h ^ p[2]) * prime;
    h = (h ^ p[3]) * prime;
  }
  for (; n > 0; ++p, --n) h = (h ^ *p) * prime;
  return h;
}

}  // namespace chartlock::text
