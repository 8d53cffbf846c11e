// SPDX-License-Identifier: Apache-2.0
#include "directory/word_match.hpp"

#include <algorithm>
#include <vector>

namespace chartlock::directory {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max) {
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > max) return max + 1;
  // Three rows of the table, on the stack for the words directories hold;
  // this runs for every distinct word on every keystroke.
  constexpr std::size_t kStack = 64;
  std::size_t stack[3][kStack];
  std::vector<std::size_t> heap;
  std::size_t *prev2 = stack[0], *prev = stack[1], *cur = stack[2];
  if (m + 1 > kStack) {
    heap.resize(3 * (m + 1));
    prev2 = heap.data();
    prev = prev2 + m + 1;
    cur = prev + m + 1;
  }
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, prev2[j - 2] + 1);
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > max) return max + 1;
    std::size_t* spare = prev2;
    prev2 = prev;
    prev = cur;
    cur = spare;
  }
  return std::min(prev[m], max + 1);
}

int word_score(std::string_view query, std::string_view word, bool prefix_ok) {
  if (query == word) return 100;
  if (prefix_ok && word.size() > query.size() && word.compare(0, query.size(), query) == 0) return 80;
  // Short words are too easy to confuse: "mass" is not a typo of "mary".
  if (query.size() < 4) return 0;
  if (edit_distance(query, word, 1) <= 1) return 60;
  if (prefix_ok && word.size() > query.size() &&
      edit_distance(query, word.substr(0, query.size()), 1) <= 1) {
    return 50;
  }
  if (query.size() >= 8 && edit_distance(query, word, 2) <= 2) return 40;
  return 0;
}

}  // namespace chartlock::directory
