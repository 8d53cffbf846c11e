// SPDX-License-Identifier: Apache-2.0
// The keyed hash over input keys (keyed_hash): SipHash's known answers (the
// published ones are for 2-4; tables run 1-3, the same code with fewer rounds),
// and keys crafted so that differences cancel between words — which made a
// multiply-and-shift hash collide whatever its random basis — spread out.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "keyed_hash.hpp"

using chartlock::KeyedHash;

namespace {

// Bytes 0, 1, 2, ... n-1: the paper's messages.
std::string counting(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<char>(i);
  return s;
}

// The paper's key, bytes 00..0f, as two little-endian words.
constexpr std::uint64_t k0 = 0x0706050403020100ull, k1 = 0x0f0e0d0c0b0a0908ull;

}  // namespace

TEST_CASE("the keyed hash is SipHash: 2-4's published answers, whole and in pieces", "[ingest][hash]") {
  // Aumasson and Bernstein, appendix A: the 15-byte message 00..0e.
  CHECK(KeyedHash(k0, k1, 2, 4).add(counting(15)).value() == 0xa129ca6149be45e5ull);
  // The reference implementation's first vector: the empty message.
  CHECK(KeyedHash(k0, k1, 2, 4).add("").value() == 0x726fdb47dd0e0e31ull);
  const std::string m = counting(15);
  for (std::size_t i = 0; i <= m.size(); ++i) {
    CHECK(KeyedHash(k0, k1, 2, 4).add(m.substr(0, i)).add(m.substr(i)).value() == 0xa129ca6149be45e5ull);
  }
}

TEST_CASE("ids crafted to cancel between words do not collide", "[ingest][hash]") {
  // "0000" then blocks of 16 '0': in each block, bytes 7 and 15 become 'p'
  // and byte 12 becomes '2', or not. Under h = (h ^ w) * K; h ^= h >> 29 the
  // two choices of a block often left the same state, for any basis: 4,096
  // ids fell into a few dozen hashes, and a table of them was quadratic.
  const int blocks = 12;
  std::vector<std::string> ids;
  for (std::uint32_t choice = 0; choice < (1u << blocks); ++choice) {
    std::string id = "0000";
    for (int b = 0; b < blocks; ++b) {
      std::string block(16, '0');
      if (choice & (1u << b)) block[7] = block[15] = 'p', block[12] = '2';
      id += block;
    }
    ids.push_back("Observation/" + id);
  }
  std::set<std::uint64_t> hashes;
  std::map<std::uint64_t, int> slots;  // the low bits a half-full table of them would use
  for (const std::string& id : ids) {
    const std::uint64_t h = KeyedHash().add(id).value();
    hashes.insert(h);
    ++slots[h & 8191];
  }
  CHECK(hashes.size() == ids.size());
  int crowded = 0;
  for (const auto& slot : slots) crowded = std::max(crowded, slot.second);
  CHECK(crowded <= 12);  // random: about 6 at most for 4,096 keys in 8,192 slots
}
