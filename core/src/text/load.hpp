// SPDX-License-Identifier: Apache-2.0
// Fixed-size loads from bytes at any alignment: a memcpy of a constant size,
// which the compiler turns into one load, without breaking aliasing rules.
// Code that reads text a word at a time (keys compared, hashed, written out)
// loads through here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace chartlock::text {

template <class Word>
inline Word load(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// The first and the last four of the 4 to 8 bytes at `p`, as a word's low
// and high halves. They overlap when n < 8, so a short text is two loads
// instead of a loop over its bytes; the same bytes give the same word.
inline std::uint64_t load_ends4(const char* p, std::size_t n) {
  return load<std::uint32_t>(p) | std::uint64_t{load<std::uint32_t>(p + n - 4)} << 32;
}

}  // namespace chartlock::text
