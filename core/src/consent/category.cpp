// SPDX-License-Identifier: Apache-2.0
#include "chartlock/category.hpp"

#include <array>

namespace chartlock {

namespace {

constexpr std::array<std::string_view, 15> kIds{
    "patient",    "conditions", "medications", "allergies", "labs",     "vitals",        "immunizations",
    "procedures", "encounters", "reports",     "documents", "carePlans", "goals", "socialHistory", "otherObservations"};

constexpr std::array<std::string_view, 15> kWords{
    "personal details", "conditions",  "medicines",      "allergies",  "lab results",
    "vital signs",      "immunizations", "procedures",   "visits",     "test reports",
    "clinical notes",   "care plans",  "goals",          "social history", "other observations"};

}  // namespace

const std::vector<Category>& all_categories() {
  static const std::vector<Category> all = [] {
    std::vector<Category> v;
    for (std::size_t i = 0; i < kIds.size(); ++i) v.push_back(static_cast<Category>(i));
    return v;
  }();
  return all;
}

std::string_view category_id(Category c) { return kIds.at(static_cast<std::size_t>(c)); }

std::string_view category_words(Category c) { return kWords.at(static_cast<std::size_t>(c)); }

std::optional<Category> category_from_id(std::string_view id) {
  for (std::size_t i = 0; i < kIds.size(); ++i) {
    if (kIds[i] == id) return static_cast<Category>(i);
  }
  return std::nullopt;
}

}  // namespace chartlock
