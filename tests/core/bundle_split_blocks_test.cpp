// SPDX-License-Identifier: Apache-2.0
// The splitter's block scan (json/array_member_blocks) against the byte scan
// it replaced, json::Scanner::skip_value, which stays as the reference: the
// same size, or the same refusal, for every text — strings with quotes after
// even and odd backslash runs, brackets inside strings, backslashes outside
// them, unbalanced and cut-short containers — with each hard case at every
// offset of a 64-byte block (bundle_split_test.cpp feeds the splitter such
// strings in chunks of every size).
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "json/array_member_blocks.hpp"
#include "json/text_scanner.hpp"

namespace blocks = chartlock::json::blocks;

namespace {

// Scanner's answer in container_size's terms: the size, or 0.
std::size_t reference_size(std::string_view text) {
  chartlock::json::Scanner s(text);
  return s.skip_value() ? static_cast<std::size_t>(s.at() - text.data()) : 0;
}

// The text and every prefix of it (the text cut where a chunk ends).
void check_every_prefix(const std::string& text) {
  for (std::size_t n = 1; n <= text.size(); ++n) {
    const std::string cut = text.substr(0, n);  // its own buffer: ASan sees reads past it
    if (cut[0] != '{' && cut[0] != '[') continue;
    CAPTURE(cut);
    REQUIRE(blocks::container_size(cut) == reference_size(cut));
  }
}

}  // namespace

TEST_CASE("the block classifier marks what the byte loop marks", "[json][split]") {
  // Said aloud: on a target without SSE2 or SIMD128 (arm64 natively) these
  // cases hold the byte scan to itself and cannot fail.
  if (!blocks::has_block_scan()) WARN("no block scan in this build: the block tests compare Scanner with itself");
  std::mt19937 random(17);
  const std::string specials = "\"\\{}[]{}[]\"\\ a;z|\x7f\x5e";  // and their neighbours in the table
  char block[64];
  for (int round = 0; round < 20000; ++round) {
    for (char& c : block) {
      c = random() % 2 ? specials[random() % specials.size()] : static_cast<char>(random() % 256);
    }
    const blocks::Marks fast = blocks::classify(block);
    const blocks::Marks bytes = blocks::classify_bytes(block);
    CHECK(fast.quote == bytes.quote);
    CHECK(fast.bracket == bytes.bracket);
    // classify leaves it 0 when there is none; the byte loop's is 0 then too.
    CHECK(fast.backslash == bytes.backslash);
  }
  for (int c = 0; c < 256; ++c) {
    std::fill(std::begin(block), std::end(block), static_cast<char>(c));
    const bool bracket = c == '{' || c == '[' || c == '}' || c == ']';
    CHECK(blocks::classify(block).bracket == (bracket ? ~std::uint64_t{0} : 0));
  }
}

TEST_CASE("the block scan measures containers as the byte scan does, each hard case at every offset",
          "[json][split]") {
  const std::vector<std::string> hard = {
      R"("a")", R"("\"")", R"("\\")", R"("\\\"")", R"("\\\\")", R"("\\\\\"x")", R"("]}")", R"("{[")",
      R"("\"]")", R"("\\"])", R"({"a":[1,{"b":"}"}]})", R"([[[]]])", R"({}})", R"(]])", R"(\"[)", R"(\\"])",
      R"(a\)", R"(\)", R"(")", R"("\)", R"({"x":"\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\""})", "\"\xe2\x82\xac\"", " \t\n",
  };
  for (const std::string& piece : hard) {
    for (std::size_t offset = 0; offset < 140; ++offset) {
      CAPTURE(piece, offset);
      // The piece after `offset` bytes of a string, then of space, then of
      // backslashes inside a string (a run that goes on into the piece).
      check_every_prefix("[\"" + std::string(offset, 'x') + "\"," + piece + "]," + piece + "]]");
      check_every_prefix("{" + std::string(offset, ' ') + piece + "}" + piece + "}");
      check_every_prefix("[\"" + std::string(offset, '\\') + piece + "]" + piece + "\"]]");
    }
  }
}

TEST_CASE("the block scan measures random texts as the byte scan does", "[json][split]") {
  std::mt19937 random(1);
  // Dense in what the scan looks at, and long enough to cross blocks.
  const std::string alphabet = "\"\"\"\\\\\\{}[]{}[]  ,:ab\xc3\xa9";
  for (int round = 0; round < 30000; ++round) {
    std::string text(1, random() % 2 ? '{' : '[');
    const std::size_t size = random() % 300;
    const bool runs = random() % 4 == 0;  // long runs of one byte: strings and backslashes across blocks
    while (text.size() < size) {
      const char c = alphabet[random() % alphabet.size()];
      text.append(runs ? random() % 70 : 1, c);
    }
    CAPTURE(text);
    REQUIRE(blocks::container_size(text) == reference_size(text));
  }
}
