// SPDX-License-Identifier: Apache-2.0
// wasm/text_runs.hpp: the runs of non-ASCII bytes the bindings find in a
// text, when they take it as Latin-1, and the text made Latin-1 in place,
// against a plain UTF-8 decoder written here. Every text of one to three
// bytes over the bytes that matter, and random longer ones.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "text_runs.hpp"

namespace {

using chartlock::wasm::latin1_runs;
using chartlock::wasm::non_ascii_runs;
using chartlock::wasm::to_latin1;

// Runs the slow way: each maximal stretch of bytes >= 0x80.
std::vector<std::uint32_t> plain_runs(const std::string& s) {
  std::vector<std::uint32_t> runs;
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < s.size() && static_cast<unsigned char>(s[i]) >= 0x80) ++i;
    runs.push_back(static_cast<std::uint32_t>(start));
    runs.push_back(static_cast<std::uint32_t>(i));
  }
  return runs;
}

// The code points of s when it is valid UTF-8 (shortest forms, no
// surrogates, at most U+10FFFF); false otherwise.
bool decode_utf8(const std::string& s, std::vector<std::uint32_t>& out) {
  out.clear();
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? b : b & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = cp << 6 | (c & 0x3F);
    }
    const std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    out.push_back(cp);
    i += n;
  }
  return true;
}

// The Latin-1 way must be taken exactly when s is valid UTF-8 with every
// character at most U+00FF, and then give those characters as bytes.
void check(const std::string& s) {
  INFO("bytes " << s.size());
  const std::vector<std::uint32_t> runs = non_ascii_runs(s);
  REQUIRE(runs == plain_runs(s));
  std::vector<std::uint32_t> cps;
  const bool latin1 = decode_utf8(s, cps) && [&] {
    for (std::uint32_t cp : cps) {
      if (cp > 0xFF) return false;
    }
    return true;
  }();
  REQUIRE(latin1_runs(s, runs) == latin1);
  if (!latin1) return;
  std::string t = s;
  const std::size_t n = to_latin1(t, runs);
  REQUIRE(n == cps.size());
  for (std::size_t i = 0; i < n; ++i) REQUIRE(static_cast<unsigned char>(t[i]) == cps[i]);
}

}  // namespace

TEST_CASE("text runs: every text of one to three bytes over the bytes that decide", "[text-runs]") {
  // ASCII, continuation bytes, every lead the Latin-1 test must tell apart
  // (C0/C1 overlong, C2/C3 taken, C4 and DF past U+00FF, three and four
  // byte leads), and FF.
  const unsigned char bytes[] = {0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xB0, 0xBF, 0xC0,
                                 0xC1, 0xC2, 0xC3, 0xC4, 0xDF, 0xE0, 0xEF, 0xF0, 0xFF};
  std::string s;
  for (unsigned char a : bytes) {
    check(std::string(1, static_cast<char>(a)));
    for (unsigned char b : bytes) {
      check(std::string{static_cast<char>(a), static_cast<char>(b)});
      for (unsigned char c : bytes) check(std::string{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
    }
  }
  check("");
}

TEST_CASE("text runs: long texts, runs across the eight-byte steps", "[text-runs]") {
  std::mt19937 rng(7);
  const char* const pieces[] = {"a", "abcdefgh", "\xC2\xB0", "\xC3\xA9", "\xC2\xB2\xC3\xBF", "\xC4\x80",
                                "\xE2\x82\xAC", "\xC2", "\xB0", "\xC3\x41", "\xF0\x9F\x98\x80", "0123456789abcdef"};
  int latin1 = 0;
  for (int k = 0; k < 4000; ++k) {
    std::string s;
    const std::size_t n = rng() % 40;
    for (std::size_t i = 0; i < n; ++i) {
      // Mostly Latin-1 pieces, so both answers come up often.
      const std::size_t pick = rng() % 20;
      s += pieces[pick < 12 ? pick : pick % 5];
    }
    check(s);
    latin1 += latin1_runs(s, non_ascii_runs(s)) ? 1 : 0;
  }
  CHECK(latin1 > 200);
  CHECK(latin1 < 3500);
}
