// SPDX-License-Identifier: Apache-2.0
#include "summary/share_scope.hpp"

#include <vector>

#include "summary/plain_text.hpp"

namespace chartlock::summary {

bool is_shared(const std::optional<ShareScope>& scope, Category c) {
  return !scope || scope->categories.count(c) > 0;
}

bool has_date_range(const std::optional<ShareScope>& scope) {
  return scope && (!scope->from.empty() || !scope->to.empty());
}

Categories not_shared(const std::optional<ShareScope>& scope, const Categories& needed) {
  Categories out;
  for (Category c : needed) {
    if (!is_shared(scope, c)) out.insert(c);
  }
  return out;
}

std::string categories_words(const Categories& categories) {
  std::vector<std::string> words;
  for (Category c : all_categories()) {
    if (categories.count(c)) words.push_back(std::string(category_words(c)));
  }
  return join_words(words);
}

std::string range_words(const ShareScope& scope) {
  if (!scope.from.empty() && !scope.to.empty()) return "from " + scope.from + " to " + scope.to;
  if (!scope.from.empty()) return "from " + scope.from;
  if (!scope.to.empty()) return "up to " + scope.to;
  return {};
}

std::string not_shared_text(Category c) { return "Not shared: the patient did not share " + std::string(category_words(c)) + "."; }

std::string none_shared_text(const ShareScope& scope) {
  const std::string range = range_words(scope);
  return range.empty() ? "None among the shared records." : "None shared " + range + ".";
}

std::string scope_text(const ShareScope& scope) {
  if (scope.categories.empty()) return "The patient shared none of their records, so there is nothing to describe.";
  std::string text = "This summary covers only what the patient chose to share: " +
                     (scope.categories.size() == all_categories().size() ? std::string("every kind of record")
                                                                         : categories_words(scope.categories));
  const std::string range = range_words(scope);
  if (!range.empty()) text += ", dated " + range;
  return text + ". Other records may exist, so something not listed here may still have happened.";
}

}  // namespace chartlock::summary
