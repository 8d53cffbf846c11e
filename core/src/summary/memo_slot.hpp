// SPDX-License-Identifier: Apache-2.0
// The slot of a direct-mapped memo for a 64-bit value or an address
// (Fibonacci hashing: the product's top Log2 bits). For memos keyed by a
// number's bits or a string's address, never by input text (those are
// keyed: keyed_hash.hpp): a collision only overwrites, so it costs a miss.
#pragma once

#include <cstddef>
#include <cstdint>

namespace chartlock::summary {

template <unsigned Log2>
constexpr std::size_t memo_slot(std::uint64_t x) {
  static_assert(Log2 > 0 && Log2 < 64);
  return static_cast<std::size_t>((x * 0x9E3779B97F4A7C15ULL) >> (64 - Log2));
}

template <unsigned Log2>
std::size_t memo_slot(const void* address) {
  return memo_slot<Log2>(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(address)));
}

}  // namespace chartlock::summary
