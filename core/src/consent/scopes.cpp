// SPDX-License-Identifier: Apache-2.0
// SMART App Launch scopes (v1 and v2) → what Chartlock may share.
#include <algorithm>
#include <array>

#include "chartlock/consent.hpp"

namespace chartlock {

namespace {

struct TypeCategories {
  std::string_view type;
  std::vector<Category> categories;
};

// Each shareable type and the categories its items fall in.
const std::vector<TypeCategories>& shareable() {
  static const std::vector<TypeCategories> t{
      {"Patient", {Category::patient}},
      {"Condition", {Category::conditions}},
      {"MedicationRequest", {Category::medications}},
      {"MedicationStatement", {Category::medications}},
      {"AllergyIntolerance", {Category::allergies}},
      {"Immunization", {Category::immunizations}},
      {"Procedure", {Category::procedures}},
      {"Encounter", {Category::encounters}},
      {"DiagnosticReport", {Category::reports}},
      {"DocumentReference", {Category::documents}},
      {"CarePlan", {Category::carePlans}},
      {"Goal", {Category::goals}},
      {"Observation", {Category::labs, Category::vitals, Category::socialHistory, Category::otherObservations}},
  };
  return t;
}

const TypeCategories* find_type(std::string_view type) {
  for (const TypeCategories& t : shareable()) {
    if (t.type == type) return &t;
  }
  return nullptr;
}

// The category an Observation scope narrowed by ?category= covers.
Category observation_category(std::string_view code) {
  if (code == "laboratory") return Category::labs;
  if (code == "vital-signs") return Category::vitals;
  if (code == "social-history") return Category::socialHistory;
  return Category::otherObservations;
}

bool is_name_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

}  // namespace

bool is_shareable_type(std::string_view type) { return find_type(type) != nullptr; }

std::optional<Scope> parse_scope(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  constexpr std::string_view prefix = "patient/";
  if (s.substr(0, prefix.size()) != prefix) return std::nullopt;
  s.remove_prefix(prefix.size());
  const std::size_t dot = s.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  Scope scope;
  scope.resourceType = std::string(s.substr(0, dot));
  if (scope.resourceType != "*" && !std::all_of(scope.resourceType.begin(), scope.resourceType.end(), is_name_char)) {
    return std::nullopt;
  }
  std::string_view rest = s.substr(dot + 1);
  std::string_view query;
  if (const std::size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  // v1: read, *; v2: any of c r u d s in order, of which r or s lets us share.
  bool reads = rest == "read" || rest == "*";
  if (!reads && !rest.empty() && rest.size() <= 5) {
    static constexpr std::string_view order = "cruds";
    std::size_t at = 0;
    bool ordered = true;
    for (char c : rest) {
      const std::size_t p = order.find(c, at);
      if (p == std::string_view::npos) ordered = false;
      else at = p + 1;
    }
    reads = ordered && rest.find_first_of("rs") != std::string_view::npos;
  }
  if (!reads) return std::nullopt;
  if (!query.empty()) {
    // One narrowing we can honour exactly: category=CODE (or system|CODE).
    constexpr std::string_view key = "category=";
    if (query.substr(0, key.size()) != key || query.find('&') != std::string_view::npos) return std::nullopt;
    std::string_view code = query.substr(key.size());
    if (const std::size_t bar = code.find('|'); bar != std::string_view::npos) code = code.substr(bar + 1);
    if (code.empty()) return std::nullopt;
    scope.category = std::string(code);
  }
  return scope;
}

Categories categories_for_scopes(const std::vector<std::string>& scopes) {
  Categories out;
  for (const std::string& text : scopes) {
    const std::optional<Scope> scope = parse_scope(text);
    if (!scope) continue;
    for (const TypeCategories& t : shareable()) {
      if (scope->resourceType != "*" && scope->resourceType != t.type) continue;
      if (!scope->category.empty()) {
        if (t.type == "Observation") out.insert(observation_category(scope->category));
        else if (t.type != "Patient") out.insert(t.categories.begin(), t.categories.end());
        continue;
      }
      out.insert(t.categories.begin(), t.categories.end());
    }
  }
  return out;
}

bool scopes_cover(const std::vector<std::string>& scopes, const ConsentItem& item) {
  for (const std::string& text : scopes) {
    const std::optional<Scope> scope = parse_scope(text);
    if (!scope || !is_shareable_type(item.resourceType)) continue;
    if (scope->resourceType != "*" && scope->resourceType != item.resourceType) continue;
    if (scope->category.empty() ||
        std::find(item.fhirCategory.begin(), item.fhirCategory.end(), scope->category) != item.fhirCategory.end()) {
      return true;
    }
  }
  return false;
}

}  // namespace chartlock
