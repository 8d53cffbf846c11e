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

}  // namespace chartlock::text
