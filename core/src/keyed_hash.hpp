// SPDX-License-Identifier: Apache-2.0
// A 64-bit hash for tables whose keys come from the input (ids, fullUrls,
// references): started from a random basis per process, so keys cannot be
// chosen to crowd one run of slots (docs/robustness.md).
#pragma once

#include <cstdint>
#include <string_view>

namespace chartlock {

// The random basis, the same for the whole process.
std::uint64_t hash_basis();

// The hash of a text given in pieces: the same for the same bytes however
// they are split ("Observation", "/", "1" and "Observation/1" hash alike).
class KeyedHash {
 public:
  KeyedHash() : h_(hash_basis()) {}
  KeyedHash& add(std::string_view piece);
  std::uint64_t value() const;

 private:
  void word(std::uint64_t w);
  std::uint64_t h_;
  std::uint64_t pending_ = 0;  // bytes not yet a whole word, low byte first
  unsigned filled_ = 0;
  std::uint64_t length_ = 0;
};

}  // namespace chartlock
