// SPDX-License-Identifier: Apache-2.0
// A 64-bit hash for tables whose keys come from the input (ids, fullUrls,
// references, merge identities): SipHash-1-3 (as Rust's HashMap uses)
// under a random 128-bit key per process, so keys cannot be chosen to crowd
// one run of slots
// (docs/robustness.md). A multiply-and-shift hash from a random basis was
// not enough: differences in two words can cancel whatever the basis is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace chartlock {

// The hash of a text given in pieces: the same for the same bytes however
// they are split ("Observation", "/", "1" and "Observation/1" hash alike).
class KeyedHash {
 public:
  KeyedHash();  // SipHash-1-3 under the process's key
  // Under a given key and round counts (known-answer tests: the published
  // vectors are SipHash-2-4's).
  KeyedHash(std::uint64_t k0, std::uint64_t k1, int compression_rounds, int finalization_rounds);
  KeyedHash& add(std::string_view piece);
  std::uint64_t value() const;
  // Under the process's key, the hash of one word's eight bytes, low byte
  // first: what add() of them and value() give, without the stream's
  // bookkeeping (a table keyed by another hash).
  static std::uint64_t of_word(std::uint64_t w);

 private:
  std::uint64_t v0_, v1_, v2_, v3_;
  int c_, d_;
  std::uint64_t pending_ = 0;  // bytes not yet a whole word, low byte first
  unsigned filled_ = 0;
  std::uint64_t length_ = 0;
};

// For an open-addressing table keyed by a hash: 0x80 and the hash's top
// seven bits, kept a byte a slot (0 where free). The slot comes from the
// low bits, so a probe compares a held key, which may be a few cache misses
// away, only when its tag matches: one in 128 of the others.
inline std::uint8_t hash_tag(std::uint64_t h) { return static_cast<std::uint8_t>(0x80 | (h >> 57)); }

// For std::unordered_map / unordered_set of strings from the input.
struct KeyedStringHash {
  std::size_t operator()(std::string_view s) const { return static_cast<std::size_t>(KeyedHash().add(s).value()); }
};

}  // namespace chartlock
