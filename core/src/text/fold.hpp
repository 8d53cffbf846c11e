// SPDX-License-Identifier: Apache-2.0
// Folding text for search: lower case, accents removed (é → e, ß → ss),
// everything that is not a letter or digit a word break.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chartlock::text {

// The words of `s`, folded.
std::vector<std::string> fold_words(std::string_view s);

// The same words without an allocation per word, for hot paths: appended to
// `out` back to back, each one's [begin, end) in `spans`. Both are cleared first.
struct WordSpan {
  std::uint32_t begin, end;
};
void fold_words_into(std::string_view s, std::string& out, std::vector<WordSpan>& spans);

// What fold_char returns for a character that ends a word.
constexpr int kWordBreak = -1;

// How each ASCII byte folds: to the letter or digit it becomes, to kJoins
// (an apostrophe, which joins: "Mary's" → "marys"), or to 0, a word break.
constexpr char kJoins = 1;
struct AsciiFold {
  char to[128];
};
constexpr AsciiFold make_ascii_fold() {
  AsciiFold f{};
  for (int c = 0; c < 128; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) f.to[c] = static_cast<char>(c);
    else if (c >= 'A' && c <= 'Z') f.to[c] = static_cast<char>(c | 0x20);
    else if (c == '\'') f.to[c] = kJoins;
  }
  return f;
}
inline constexpr AsciiFold kAsciiFold = make_ascii_fold();

// A character that is not ASCII (its first byte 0x80 or above): fold_char's slow path.
int fold_wide_char(std::string_view s, std::size_t& i, char out[2]);

// The one character of `s` at byte `i` (i < s.size()), folded, and `i` moved
// past it: how many letters it wrote to `out` (1, or 2 for "ß" → "ss"; 0 for
// an apostrophe), or kWordBreak. Every fold above is this, character by
// character; scanners that walk text once use it and kAsciiFold directly
// (consent/sensitivity.cpp).
inline int fold_char(std::string_view s, std::size_t& i, char out[2]) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c >= 0x80) return fold_wide_char(s, i, out);
  ++i;
  const char to = kAsciiFold.to[c];
  if (to > kJoins) {
    out[0] = to;
    return 1;
  }
  return to == kJoins ? 0 : kWordBreak;
}

}  // namespace chartlock::text
