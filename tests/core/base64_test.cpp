// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <cstdint>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "text/base64.hpp"

using chartlock::text::base64_decode;

TEST_CASE("base64 decodes RFC 4648 test vectors", "[base64]") {
  CHECK(base64_decode("", 100) == "");
  CHECK(base64_decode("Zg==", 100) == "f");
  CHECK(base64_decode("Zm8=", 100) == "fo");
  CHECK(base64_decode("Zm9v", 100) == "foo");
  CHECK(base64_decode("Zm9vYg==", 100) == "foob");
  CHECK(base64_decode("Zm9vYmE=", 100) == "fooba");
  CHECK(base64_decode("Zm9vYmFy", 100) == "foobar");
}

TEST_CASE("base64 tolerates line breaks and missing padding", "[base64]") {
  CHECK(base64_decode("Zm9v\r\nYmFy", 100) == "foobar");
  CHECK(base64_decode("Zm9vYg", 100) == "foob");
}

TEST_CASE("base64 rejects what is not base64", "[base64]") {
  CHECK_FALSE(base64_decode("Zm9v!", 100));
  CHECK_FALSE(base64_decode("Zg==Zg==", 100));
  CHECK_FALSE(base64_decode("Zh==", 100));   // non-zero leftover bits
  CHECK_FALSE(base64_decode("Z", 100));      // a lone sextet is not a byte
  CHECK_FALSE(base64_decode("Zg===", 100));
  CHECK_FALSE(base64_decode("Zm9vYmFy", 5)); // over the size cap
}

namespace {

// RFC 4648 read another way, as a stream of bits: the sextets collected
// first (whitespace skipped, '=' only at the end), then cut into bytes; the
// bits left over (0, 2 or 4) must be zero. The reference the decoder, which
// reads four characters at a time where it can, is compared with below.
std::optional<std::string> reference_decode(std::string_view in, std::size_t max_out) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<std::size_t> sextets;
  std::size_t pads = 0;
  for (char c : in) {
    if (std::string_view(" \t\r\n").find(c) != std::string_view::npos) continue;
    if (c == '=') {
      ++pads;
      continue;
    }
    const std::size_t v = alphabet.find(c);
    if (v == std::string::npos || pads > 0) return std::nullopt;
    sextets.push_back(v);
  }
  const std::size_t bits = 6 * sextets.size();
  if (pads > 2 || bits % 8 == 6 || bits / 8 > max_out) return std::nullopt;
  auto bit = [&](std::size_t i) { return (sextets[i / 6] >> (5 - i % 6)) & 1; };
  for (std::size_t i = bits / 8 * 8; i < bits; ++i) {
    if (bit(i) != 0) return std::nullopt;
  }
  std::string out(bits / 8, '\0');
  for (std::size_t i = 0; i < bits / 8 * 8; ++i) out[i / 8] = static_cast<char>(out[i / 8] | bit(i) << (7 - i % 8));
  return out;
}

}  // namespace

TEST_CASE("base64 decodes as one character at a time would, whatever breaks its groups", "[base64]") {
  // Encoded bytes with line breaks, spaces, '=', bad characters and high
  // bytes put anywhere (inside and between groups, at the end), under size
  // caps around the decoded size.
  std::mt19937 rng(17);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string others[] = {"\r\n", "\n", " ", "\t", "=", "==", "!", "-", "_", "\x80", "\xff", std::string(1, '\0')};
  int compared = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string in;
    const std::size_t len = rng() % 10 * 4 + (rng() % 2 == 0 ? 0 : rng() % 4);  // whole groups, half the time
    for (std::size_t k = 0; k < len; ++k) in += alphabet[rng() % alphabet.size()];
    const int breaks = static_cast<int>(rng() % 4);
    for (int b = 0; b < breaks; ++b) in.insert(rng() % (in.size() + 1), others[rng() % std::size(others)]);
    if (rng() % 3 == 0) in += std::string(rng() % 3, '=');
    for (const std::size_t cap : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3}, len * 3 / 4 - 1,
                                  len * 3 / 4, len * 3 / 4 + 1, std::size_t{100}}) {
      REQUIRE(base64_decode(in, cap) == reference_decode(in, cap));
      ++compared;
    }
  }
  CHECK(compared == 160000);
}
