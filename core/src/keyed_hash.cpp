// SPDX-License-Identifier: Apache-2.0
// SipHash (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012),
// written from the paper: c rounds per 8-byte word, d to finish. Tables use
// SipHash-1-3, the variant Rust's HashMap chose for flooding resistance at
// less cost than 2-4 (4 % of a 10 MB ingest + summary with 2-4).
#include "keyed_hash.hpp"

#include <cstring>
#include <random>

namespace chartlock {

namespace {

struct Key {
  std::uint64_t k0, k1;
};

// Random from the platform (getentropy; in wasm, crypto.getRandomValues),
// once per process. The hash never leaves the process.
const Key& process_key() {
  static const Key key = [] {
    std::random_device device;
    auto word = [&] { return (static_cast<std::uint64_t>(device()) << 32) ^ device(); };
    const std::uint64_t k0 = word();
    return Key{k0, word()};
  }();
  return key;
}

inline std::uint64_t rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

inline void sip_round(std::uint64_t& v0, std::uint64_t& v1, std::uint64_t& v2, std::uint64_t& v3) {
  v0 += v1;
  v1 = rotl(v1, 13);
  v1 ^= v0;
  v0 = rotl(v0, 32);
  v2 += v3;
  v3 = rotl(v3, 16);
  v3 ^= v2;
  v0 += v3;
  v3 = rotl(v3, 21);
  v3 ^= v0;
  v2 += v1;
  v1 = rotl(v1, 17);
  v1 ^= v2;
  v2 = rotl(v2, 32);
}

// Little-endian, as the paper reads its words (x86 and wasm are).
inline std::uint64_t load_le(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

}  // namespace

KeyedHash::KeyedHash() : KeyedHash(process_key().k0, process_key().k1, 1, 3) {}

KeyedHash::KeyedHash(std::uint64_t k0, std::uint64_t k1, int compression_rounds, int finalization_rounds)
    : v0_(k0 ^ 0x736f6d6570736575ull),
      v1_(k1 ^ 0x646f72616e646f6dull),
      v2_(k0 ^ 0x6c7967656e657261ull),
      v3_(k1 ^ 0x7465646279746573ull),
      c_(compression_rounds),
      d_(finalization_rounds) {}

// Inline into add(): a call a word was a fifth of the hash's cost. The
// first round is written out (tables run one).
inline void KeyedHash::word(std::uint64_t m) {
  std::uint64_t v0 = v0_, v1 = v1_, v2 = v2_, v3 = v3_ ^ m;
  sip_round(v0, v1, v2, v3);
  for (int r = 1; r < c_; ++r) sip_round(v0, v1, v2, v3);
  v0_ = v0 ^ m;
  v1_ = v1;
  v2_ = v2;
  v3_ = v3;
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
  for (; i + 8 <= piece.size(); i += 8) word(load_le(piece.data() + i));
  for (; i < piece.size(); ++i) {
    pending_ |= static_cast<std::uint64_t>(static_cast<unsigned char>(piece[i])) << (8 * filled_);
    ++filled_;
  }
  return *this;
}

std::uint64_t KeyedHash::value() const {
  std::uint64_t v0 = v0_, v1 = v1_, v2 = v2_, v3 = v3_;
  // The last word: the bytes left over, and the length's low byte on top.
  const std::uint64_t b = pending_ | (length_ << 56);
  v3 ^= b;
  for (int r = 0; r < c_; ++r) sip_round(v0, v1, v2, v3);
  v0 ^= b;
  v2 ^= 0xff;
  for (int r = 0; r < d_; ++r) sip_round(v0, v1, v2, v3);
  return v0 ^ v1 ^ v2 ^ v3;
}

}  // namespace chartlock
