// SPDX-License-Identifier: Apache-2.0
// Internal: fixed-width little-endian fields, independent of the host's byte
// order and of sizeof(size_t) (the same code runs as 32-bit wasm).
#pragma once

#include <cstddef>
#include <cstdint>

namespace chartlock::crypto::detail {

template <class T>
void store_le(std::uint8_t* out, T value) noexcept {
  static_assert(sizeof(T) <= 8);
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    out[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(value) >> (8 * i));
  }
}

template <class T>
T load_le(const std::uint8_t* in) noexcept {
  static_assert(sizeof(T) <= 8);
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<std::uint64_t>(in[i]) << (8 * i);
  return static_cast<T>(v);
}

}  // namespace chartlock::crypto::detail
