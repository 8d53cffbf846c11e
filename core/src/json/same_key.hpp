// SPDX-License-Identifier: Apache-2.0
// Equality of two JSON keys without a call to memcmp for the short ones.
// FHIR's keys are a few to a couple of dozen bytes, and an object's lookups
// compare one per key found; memcmp's call was most of such a compare (in
// wasm a call into the module's own memcmp, natively glibc's through the
// PLT). Up to 32 bytes: the lengths, then two (four from 17 bytes) loads of a
// fixed size from each side, overlapping when the key is shorter than their
// sum, all inside the keys' bytes. docs/performance.md, "Wasm against native, again".
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "text/load.hpp"

namespace chartlock::json {

namespace detail {
using text::load;
// The first and the last sizeof(Word) bytes of a and b (n >= sizeof(Word)),
// equal or not.
template <class Word>
inline bool same_ends(const char* a, const char* b, std::size_t n) {
  const std::size_t last = n - sizeof(Word);
  return ((load<Word>(a) ^ load<Word>(b)) | (load<Word>(a + last) ^ load<Word>(b + last))) == 0;
}
}  // namespace detail

inline bool same_key(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (n >= 8) {
    if (n <= 16) return detail::same_ends<std::uint64_t>(x, y, n);
    // FHIR's choice keys run to 20-odd bytes ("valueCodeableConcept").
    if (n <= 32) {
      return detail::same_ends<std::uint64_t>(x, y, 16) &&
             detail::same_ends<std::uint64_t>(x + n - 16, y + n - 16, 16);
    }
    // Longer: memcmp. (A word loop to 64 here, for the sensitivity memo's
    // texts, kept ObjectFields::find from being inlined: +8 M instructions.)
    return std::memcmp(x, y, n) == 0;
  }
  if (n >= 4) return detail::same_ends<std::uint32_t>(x, y, n);
  if (n >= 2) return detail::same_ends<std::uint16_t>(x, y, n);
  return n == 0 || x[0] == y[0];
}

}  // namespace chartlock::json
