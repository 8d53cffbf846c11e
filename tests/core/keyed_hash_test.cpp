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

namespace {

// SipHash-c-d a byte at a time, straight from the paper (section 2): the
// reference the word-at-a-time KeyedHash is compared with.
std::uint64_t reference_siphash(const std::string& m, std::uint64_t key0, std::uint64_t key1, int c, int d) {
  auto rotl = [](std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); };
  std::uint64_t v0 = key0 ^ 0x736f6d6570736575ull, v1 = key1 ^ 0x646f72616e646f6dull;
  std::uint64_t v2 = key0 ^ 0x6c7967656e657261ull, v3 = key1 ^ 0x7465646279746573ull;
  auto round = [&] {
    v0 += v1, v1 = rotl(v1, 13), v1 ^= v0, v0 = rotl(v0, 32);
    v2 += v3, v3 = rotl(v3, 16), v3 ^= v2;
    v0 += v3, v3 = rotl(v3, 21), v3 ^= v0;
    v2 += v1, v1 = rotl(v1, 17), v1 ^= v2, v2 = rotl(v2, 32);
  };
  auto compress = [&](std::uint64_t w) {
    v3 ^= w;
    for (int r = 0; r < c; ++r) round();
    v0 ^= w;
  };
  std::uint64_t w = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    w |= static_cast<std::uint64_t>(static_cast<unsigned char>(m[i])) << (8 * (i % 8));
    if (i % 8 == 7) compress(w), w = 0;
  }
  compress(w | static_cast<std::uint64_t>(m.size()) << 56);
  v2 ^= 0xff;
  for (int r = 0; r < d; ++r) round();
  return v0 ^ v1 ^ v2 ^ v3;
}

}  // namespace

TEST_CASE("the keyed hash equals a byte-at-a-time SipHash however its text is split", "[ingest][hash]") {
  // Every length 0-40 and every split into three pieces: the short loads of
  // a piece's head and tail (1-7 bytes, overlapping) against one byte at a time.
  std::string m;
  for (std::size_t i = 0; i < 40; ++i) m += static_cast<char>(0x80 + 37 * i);  // high bytes: no sign mistakes
  for (std::size_t n = 0; n <= m.size(); ++n) {
    const std::string s = m.substr(0, n);
    const std::uint64_t want13 = reference_siphash(s, k0, k1, 1, 3);
    const std::uint64_t want24 = reference_siphash(s, k0, k1, 2, 4);
    for (std::size_t i = 0; i <= n; ++i) {
      for (std::size_t j = i; j <= n; ++j) {
        const std::string a = s.substr(0, i), b = s.substr(i, j - i), c = s.substr(j);
        REQUIRE(KeyedHash(k0, k1, 1, 3).add(a).add(b).add(c).value() == want13);
        REQUIRE(KeyedHash(k0, k1, 2, 4).add(a).add(b).add(c).value() == want24);
      }
    }
  }
  // The reference agrees with the paper's answer (appendix A).
  CHECK(reference_siphash(counting(15), k0, k1, 2, 4) == 0xa129ca6149be45e5ull);
}

TEST_CASE("the keyed hash in many short pieces equals it whole, past several words", "[ingest][hash]") {
  // Pieces of 1, 2, ... 9 bytes in turn (a "/" between a type and an id is
  // one byte): the state carried from piece to piece through each length of
  // head, whole words and tail, up to 13 words.
  std::string m;
  for (std::size_t i = 0; i < 104; ++i) m += static_cast<char>(0x9b + 29 * i);
  for (std::size_t n = 0; n <= m.size(); ++n) {
    const std::string s = m.substr(0, n);
    for (std::size_t first = 1; first <= 9; ++first) {
      KeyedHash pieces(k0, k1, 1, 3), pieces24(k0, k1, 2, 4);
      for (std::size_t at = 0, size = first; at < n; at += size, size = size % 9 + 1) {
        pieces.add(s.substr(at, size));
        pieces24.add(s.substr(at, size));
      }
      REQUIRE(pieces.value() == reference_siphash(s, k0, k1, 1, 3));
      REQUIRE(pieces24.value() == reference_siphash(s, k0, k1, 2, 4));
    }
  }
}

TEST_CASE("the hash of one word is the stream's of its eight bytes", "[ingest][hash]") {
  std::vector<std::uint64_t> words{0, ~std::uint64_t{0}, 0x0706050403020100ull};
  for (int bit = 0; bit < 64; ++bit) words.push_back(std::uint64_t{1} << bit);
  std::uint64_t x = 0x9e3779b97f4a7c15ull;
  for (int i = 0; i < 2000; ++i) words.push_back(x = x * 6364136223846793005ull + 1442695040888963407ull);
  for (const std::uint64_t w : words) {
    std::string bytes;
    for (int b = 0; b < 8; ++b) bytes += static_cast<char>(w >> (8 * b));
    REQUIRE(KeyedHash::of_word(w) == KeyedHash().add(bytes).value());
  }
  // Not the hash of other lengths' bytes: the length is in it.
  CHECK(KeyedHash::of_word(0) != KeyedHash().add(std::string(7, '\0')).value());
}
