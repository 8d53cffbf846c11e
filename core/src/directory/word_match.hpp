// SPDX-License-Identifier: Apache-2.0
// How well one folded query word matches one folded directory word.
#pragma once

#include <string_view>

namespace chartlock::directory {

// 100 equal; 80 a prefix (when `prefix_ok`: the word still being typed);
// 60 one typo; 50 one typo in a prefix; 40 two typos (words of 8+ letters);
// 0 no match. A typo is an insertion, deletion, substitution or swap of two
// neighbours (optimal string alignment distance).
int word_score(std::string_view query, std::string_view word, bool prefix_ok);

// Optimal string alignment distance, or max + 1 once it exceeds `max`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max);

}  // namespace chartlock::directory
