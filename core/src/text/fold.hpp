// Folding text for search: lower case, accents removed (é → e, ß → ss),
// everything that is not a letter or digit a word break.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chartlock::text {

// The words of `s`, folded.
std::vector<std::string> fold_words(std::string_view s);

}  // namespace chartlock::text
