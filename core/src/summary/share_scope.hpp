// SPDX-License-Identifier: Apache-2.0
// A share's scope as the summary's parts ask about it: was a category
// shared, is the share limited to a range of dates, and the plain words that
// say so. Without a scope (the patient's own record) everything counts as
// shared and nothing here changes a word.
#pragma once

#include <optional>
#include <string>

#include "chartlock/category.hpp"
#include "chartlock/summary.hpp"

namespace chartlock::summary {

// Whether the summary may speak about a category, its absence included.
bool is_shared(const std::optional<ShareScope>& scope, Category c);
// A share that holds only the records of a range of dates.
bool has_date_range(const std::optional<ShareScope>& scope);
// The categories of `needed` that were not shared.
Categories not_shared(const std::optional<ShareScope>& scope, const Categories& needed);

// "vital signs, immunizations and visits", in the order of all_categories().
std::string categories_words(const Categories& categories);
// "from 2015-01-01", "from 2015-01-01 to 2020-12-31", "up to 2020-12-31";
// "" without a range.
std::string range_words(const ShareScope& scope);

// What a section says under a share: "Not shared: the patient did not share
// vital signs." for a category left out; for a shared one with nothing in it,
// "None among the shared records." or "None shared from 2015-01-01."
std::string not_shared_text(Category c);
std::string none_shared_text(const ShareScope& scope);
// The line near the top: what the share covers, and that other records may
// exist.
std::string scope_text(const ShareScope& scope);

}  // namespace chartlock::summary
