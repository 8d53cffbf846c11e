// SPDX-License-Identifier: Apache-2.0
// json::same_key against the answer worked out byte by byte: every length
// 0..72 (each of its load sizes, memcmp past 32, and their edges), equal
// keys, a difference at every byte (each bit pattern that a word compare
// could miss: the top bit, the low bit), and lengths that differ with a
// common prefix. Each key sits alone in an allocation of exactly its length,
// so that a read past it is an error under ASan.
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <string_view>

#include "json/same_key.hpp"

using chartlock::json::same_key;

namespace {

// `n` bytes, a pattern that differs from byte to byte, in their own block.
std::unique_ptr<char[]> key_of(std::size_t n, unsigned seed) {
  std::unique_ptr<char[]> p(new char[n == 0 ? 1 : n]);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<char>('a' + (i * 7 + seed) % 26);
  return p;
}

bool reference_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("same_key: equal keys of every length", "[json][same_key]") {
  for (std::size_t n = 0; n <= 72; ++n) {
    const auto a = key_of(n, 3);
    const auto b = key_of(n, 3);
    INFO("length " << n);
    CHECK(same_key({a.get(), n}, {b.get(), n}));
    CHECK(same_key({a.get(), n}, {a.get(), n}));
  }
}

TEST_CASE("same_key: a difference at every byte", "[json][same_key]") {
  // 0x01 and 0x80 flip the lowest and the highest bit; 0xff all of them.
  for (const unsigned flip : {0x01u, 0x80u, 0xffu}) {
    for (std::size_t n = 1; n <= 72; ++n) {
      for (std::size_t at = 0; at < n; ++at) {
        const auto a = key_of(n, 5);
        const auto b = key_of(n, 5);
        b[at] = static_cast<char>(static_cast<unsigned char>(b[at]) ^ flip);
        const std::string_view x(a.get(), n), y(b.get(), n);
        INFO("length " << n << ", byte " << at << ", flip " << flip);
        REQUIRE_FALSE(reference_equal(x, y));
        CHECK_FALSE(same_key(x, y));
        CHECK_FALSE(same_key(y, x));
      }
    }
  }
}

TEST_CASE("same_key: keys of other lengths", "[json][same_key]") {
  // One a prefix of the other: equal bytes as far as the shorter goes.
  const auto long_key = key_of(41, 1);
  for (std::size_t n = 0; n <= 72; ++n) {
    for (std::size_t m = n + 1; m <= 41; ++m) {
      const auto a = key_of(n, 1);
      INFO("lengths " << n << " and " << m);
      CHECK_FALSE(same_key({a.get(), n}, {long_key.get(), m}));
      CHECK_FALSE(same_key({long_key.get(), m}, {a.get(), n}));
    }
  }
  CHECK(same_key("", std::string_view()));
  CHECK(same_key("valueQuantity", "valueQuantity"));
  CHECK_FALSE(same_key("valueQuantity", "valueQuantitx"));
  CHECK_FALSE(same_key("code", "text"));
}
