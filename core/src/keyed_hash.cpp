// SPDX-License-Identifier: Apache-2.0
#include "keyed_hash.hpp"

#include <cstring>
#include <random>

namespace chartlock {

// Random from the platform (getentropy; in wasm, crypto.getRandomValues):
// with a fixed basis, ids chosen to share their low bits (a few seconds'
// search) fill one run of slots that every insert and lookup walks.
std::uint64_t hash_basis() {
  static const std::uint64_t basis = [] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }();
  return basis;
}

void KeyedHash::word(std::uint64_t w) {
  h_ = (h_ ^ w) * 0x9e3779b97f4a7c15ull;
  h_ ^= h_ >> 29;
}

KeyedHash& KeyedHash::add(std::string_view piece) {
  length_ += piece.size();
  std::size_t i = 0;
  // A byte at a time only until the word in hand is whole, then eight.
  for (; i < piece.size() && filled_ != 0; ++i) {
    pending_ |= static_cast<std::uint64_t>(static_cast<unsigned char>(piece[i])) << (8 * filled_);
    if (++filled_ == 8) {
      word(pending_);
      pending_ = 0;
      filled_ = 0;
    }
  }
  for (; i + 8 <= piece.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, piece.data() + i, 8);
    word(w);
  }
  for (; i < piece.size(); ++i) {
    pending_ |= static_cast<std::uint64_t>(static_cast<unsigned char>(piece[i])) << (8 * filled_);
    ++filled_;
  }
  return *this;
}

std::uint64_t KeyedHash::value() const {
  // The length too ("a" and "a\0" differ), then a full finish (MurmurHash3's
  // constants), so the low bits, which pick the slot, depend on every byte
  // and on the basis.
  std::uint64_t h = (h_ ^ pending_) * 0x9e3779b97f4a7c15ull;
  h = (h ^ length_) * 0x9e3779b97f4a7c15ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

}  // namespace chartlock
