// SPDX-License-Identifier: Apache-2.0
#include "text/fold.hpp"

#include <cstdint>

namespace chartlock::text {

namespace {

// Latin-1 Supplement and Latin Extended-A letters → their base letters, which
// covers the names in US, Canadian and European directories.
const char* fold_code_point(std::uint32_t cp) {
  static const char* const latin1[64] = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
      "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
      "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "y"};
  if (cp >= 0xC0 && cp <= 0xFF) return latin1[cp - 0xC0];
  // Latin Extended-A: each letter with its marks, in upper/lower pairs.
  static const char* const extended_a[128] = {
      "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
      "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
      "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
      "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
      "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
      "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
      "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
      "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
  };
  if (cp >= 0x100 && cp <= 0x17F) return extended_a[cp - 0x100];
  return nullptr;
}

}  // namespace

int fold_wide_char(std::string_view s, std::size_t& i, char out[2]) {
  const auto c = static_cast<unsigned char>(s[i]);
  // A two-byte UTF-8 sequence (U+0080..U+07FF); anything longer breaks words.
  std::uint32_t cp = 0;
  const std::size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
  if (n == 2 && i + 1 < s.size()) cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
  i += n;
  const char* folded = cp ? fold_code_point(cp) : nullptr;
  if (folded == nullptr) return kWordBreak;
  int len = 0;
  for (; *folded != '\0'; ++folded) out[len++] = *folded;
  return len;
}

void fold_words_into(std::string_view s, std::string& out, std::vector<WordSpan>& spans) {
  spans.clear();
  // Folding never lengthens text (a two-byte letter becomes at most two), so
  // the output is written in place, without a check per character.
  out.resize(s.size());
  std::size_t len = 0, start = 0;
  for (std::size_t i = 0; i < s.size();) {
    const int n = fold_char(s, i, &out[len]);
    if (n != kWordBreak) {
      len += static_cast<std::size_t>(n);
      continue;
    }
    if (len > start) spans.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(len)});
    start = len;
  }
  if (len > start) spans.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(len)});
  out.resize(len);
}

std::vector<std::string> fold_words(std::string_view s) {
  std::string buffer;
  std::vector<WordSpan> spans;
  fold_words_into(s, buffer, spans);
  std::vector<std::string> words;
  words.reserve(spans.size());
  for (const WordSpan& w : spans) words.emplace_back(buffer, w.begin, w.end - w.begin);
  return words;
}

}  // namespace chartlock::text
