// SPDX-License-Identifier: Apache-2.0
#include "text/base64.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace chartlock::text {

namespace {

// A character's six bits, or 0x80 for one outside the alphabet.
constexpr std::array<std::uint8_t, 256> kSextets = [] {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = 0x80;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = static_cast<std::uint8_t>(c - 'A');
  for (int c = 'a'; c <= 'z'; ++c) t[c] = static_cast<std::uint8_t>(c - 'a' + 26);
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<std::uint8_t>(c - '0' + 52);
  t['+'] = 62;
  t['/'] = 63;
  return t;
}();

unsigned sextet(char c) { return kSextets[static_cast<unsigned char>(c)]; }

}  // namespace

std::optional<std::string> base64_decode(std::string_view in, std::size_t max_out) {
  std::string out;
  out.reserve(std::min(in.size() / 4 * 3 + 3, max_out));
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t padding = 0;
  std::size_t i = 0;
  while (i < in.size()) {
    // At a group's start (no bits carried, no '=' seen), whole groups of four
    // alphabet characters go three bytes at a time (an attachment is mostly
    // that, between its line breaks); the character loop below takes the
    // rest (breaks, '=', what is not base64, the size cap) and comes back
    // here after it, as it would have read those groups itself.
    // The bytes go through a small buffer appended whole: an append per
    // group cost a call each, and sizing `out` ahead zero-fills it.
    if (bits == 0 && padding == 0) {
      char buffer[3 * 128];
      std::size_t n = 0;
      for (; i + 4 <= in.size() && out.size() + n + 3 <= max_out; i += 4, n += 3) {
        const unsigned a = sextet(in[i]), b = sextet(in[i + 1]), c = sextet(in[i + 2]), d = sextet(in[i + 3]);
        if (((a | b | c | d) & 0x80) != 0) break;
        const std::uint32_t v = a << 18 | b << 12 | c << 6 | d;
        if (n == sizeof buffer) {
          out.append(buffer, n);
          n = 0;
        }
        buffer[n] = static_cast<char>(v >> 16);
        buffer[n + 1] = static_cast<char>(v >> 8);
        buffer[n + 2] = static_cast<char>(v);
      }
      out.append(buffer, n);
      if (i == in.size()) break;
    }
    const char c = in[i++];
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    const unsigned v = sextet(c);
    if (v > 63 || padding > 0) return std::nullopt;  // bad character, or data after '='
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (out.size() >= max_out) return std::nullopt;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  // Leftover bits must be zero padding of a 2- or 3-char final group.
  if (padding > 2 || bits >= 6 || (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace chartlock::text

namespace chartlock::text {

std::string base64_encode(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const auto n = (static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16) |
                   (static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8) |
                   static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (const std::size_t rest = in.size() - i; rest > 0) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16;
    if (rest == 2) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace chartlock::text
