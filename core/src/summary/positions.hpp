// SPDX-License-Identifier: Apache-2.0
// Sorting items of many strings by their positions: the order is worked out
// on indices and each item is then moved once. std::stable_sort on the items
// themselves moved each one many times (a condition, a medicine, a point is
// a dozen strings and vectors). The order is the same: the same stable sort
// with the same comparison.
#pragma once

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <vector>

namespace chartlock::summary {

// The positions of `items` in the order std::stable_sort with `less` gives.
template <class T, class Less>
std::vector<std::size_t> stable_order(const std::vector<T>& items, Less less) {
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return less(items[a], items[b]); });
  return order;
}

// std::stable_sort(items, less), each item moved once.
template <class T, class Less>
void stable_sort_moved(std::vector<T>& items, Less less) {
  if (std::is_sorted(items.begin(), items.end(), less)) return;  // nothing to move
  std::vector<T> sorted;
  sorted.reserve(items.size());
  for (std::size_t i : stable_order(items, less)) sorted.push_back(std::move(items[i]));
  items = std::move(sorted);
}

}  // namespace chartlock::summary
