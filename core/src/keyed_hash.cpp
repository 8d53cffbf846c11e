// SPDX-License-Identifier: Apache-2.0
// SipHash (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012),
// written from the paper: c rounds per 8-byte word, d to finish. Tables use
// SipHash-1-3, the variant Rust's HashMap chose for flooding resistance at
// less cost than 2-4 (4 % of a 10 MB ingest + summary with 2-4).
#include "keyed_hash.hpp"

#include <random>

#include "text/load.hpp"

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
inline std::uint64_t load_le(const char* p) { return text::load<std::uint64_t>(p); }

// The n < 8 bytes at p as the low bytes of a word, in two loads that may
// overlap (the same byte lands in the same place from both) rather than a
// shift and an OR a byte: most pieces are short (a type, "/", an id's tail).
inline std::uint64_t load_short(const char* p, std::size_t n) {
  if (n >= 4) {
    return text::load<std::uint32_t>(p) | std::uint64_t{text::load<std::uint32_t>(p + n - 4)} << (8 * (n - 4));
  }
  if (n == 0) return 0;
  auto byte = [p](std::size_t k) { return static_cast<std::uint64_t>(static_cast<unsigned char>(p[k])); };
  return byte(0) | byte(n / 2) << (8 * (n / 2)) | byte(n - 1) << (8 * (n - 1));
}

// The state after the key, computed once: every table's hash starts here.
struct Start {
  std::uint64_t v0, v1, v2, v3;
};
const Start& process_start() {
  static const Start start = [] {
    const Key& k = process_key();
    return Start{k.k0 ^ 0x736f6d6570736575ull, k.k1 ^ 0x646f72616e646f6dull, k.k0 ^ 0x6c7967656e657261ull,
                 k.k1 ^ 0x7465646279746573ull};
  }();
  return start;
}

}  // namespace

KeyedHash::KeyedHash() : c_(1), d_(3) {
  const Start& s = process_start();
  v0_ = s.v0;
  v1_ = s.v1;
  v2_ = s.v2;
  v3_ = s.v3;
}

KeyedHash::KeyedHash(std::uint64_t k0, std::uint64_t k1, int compression_rounds, int finalization_rounds)
    : v0_(k0 ^ 0x736f6d6570736575ull),
      v1_(k1 ^ 0x646f72616e646f6dull),
      v2_(k0 ^ 0x6c7967656e657261ull),
      v3_(k1 ^ 0x7465646279746573ull),
      c_(compression_rounds),
      d_(finalization_rounds) {}

namespace {

// One word into the state, the first round written out (tables run one).
// Inline into add() (a call a word was a fifth of the hash's cost), on the
// members: the state in locals through a lambda cost wasm 5 ms on the 10 MB
// patient (docs/performance.md, ninth round).
inline void compress(std::uint64_t& v0, std::uint64_t& v1, std::uint64_t& v2, std::uint64_t& v3, int rounds,
                     std::uint64_t m) {
  v3 ^= m;
  sip_round(v0, v1, v2, v3);
  for (int r = 1; r < rounds; ++r) sip_round(v0, v1, v2, v3);
  v0 ^= m;
}

}  // namespace

KeyedHash& KeyedHash::add(std::string_view piece) {
  const char* p = piece.data();
  std::size_t n = piece.size();
  length_ += n;
  if (n < 8 - filled_) {
    // Short of a word ("/" between a type and an id): only buffered, the
    // state not touched (the bytes above filled_ are zero).
    pending_ |= load_short(p, n) << (8 * filled_);
    filled_ += static_cast<unsigned>(n);
    return *this;
  }
  if (filled_ != 0) {
    // Fill the word in hand first (filled_ is 1..7, and the piece completes it).
    const std::size_t take = 8 - filled_;
    compress(v0_, v1_, v2_, v3_, c_, pending_ | load_short(p, take) << (8 * filled_));
    p += take;
    n -= take;
  }
  for (; n >= 8; p += 8, n -= 8) compress(v0_, v1_, v2_, v3_, c_, load_le(p));
  pending_ = load_short(p, n);
  filled_ = static_cast<unsigned>(n);
  return *this;
}

namespace {

// SipHash-1-3's last word `b` (the bytes left over, and the length's low
// byte on top) and its finish, unrolled: every lookup ends here.
inline std::uint64_t finish_1_3(std::uint64_t v0, std::uint64_t v1, std::uint64_t v2, std::uint64_t v3,
                                std::uint64_t b) {
  v3 ^= b;
  sip_round(v0, v1, v2, v3);
  v0 ^= b;
  v2 ^= 0xff;
  sip_round(v0, v1, v2, v3);
  sip_round(v0, v1, v2, v3);
  sip_round(v0, v1, v2, v3);
  return v0 ^ v1 ^ v2 ^ v3;
}

}  // namespace

std::uint64_t KeyedHash::of_word(std::uint64_t w) {
  const Start& s = process_start();
  std::uint64_t v0 = s.v0, v1 = s.v1, v2 = s.v2, v3 = s.v3 ^ w;
  sip_round(v0, v1, v2, v3);
  v0 ^= w;
  return finish_1_3(v0, v1, v2, v3, std::uint64_t{8} << 56);  // no bytes left over; the length, 8
}

std::uint64_t KeyedHash::value() const {
  const std::uint64_t b = pending_ | (length_ << 56);
  if (c_ == 1 && d_ == 3) return finish_1_3(v0_, v1_, v2_, v3_, b);  // the tables' rounds
  std::uint64_t v0 = v0_, v1 = v1_, v2 = v2_, v3 = v3_ ^ b;
  for (int r = 0; r < c_; ++r) sip_round(v0, v1, v2, v3);
  v0 ^= b;
  v2 ^= 0xff;
  for (int r = 0; r < d_; ++r) sip_round(v0, v1, v2, v3);
  return v0 ^ v1 ^ v2 ^ v3;
}

}  // namespace chartlock
