// SPDX-License-Identifier: Apache-2.0
#include "json/duplicate_keys.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace chartlock::json {

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// Objects of up to KeyRepeats::kPairwise keys (nearly all in FHIR) are
// checked pairwise, without allocating; larger ones are sorted.
std::optional<std::string_view> sorted_repeat(object obj) {
  const std::size_t n = obj.size();
  std::vector<std::string_view> keys;
  keys.reserve(n);
  for (auto field : obj) keys.push_back(field.key);
  std::sort(keys.begin(), keys.end());
  auto it = std::adjacent_find(keys.begin(), keys.end());
  if (it == keys.end()) return std::nullopt;
  return *it;
}

std::optional<std::string_view> repeated_key(object obj) {
  const std::size_t n = obj.size();
  if (n < 2) return std::nullopt;
  if (n > KeyRepeats::kPairwise) return sorted_repeat(obj);
  KeyRepeats keys(obj);
  for (auto field : obj) {
    if (keys.add(field.key)) return field.key;
  }
  return std::nullopt;
}

bool element_like(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// The common case, no duplicate anywhere, without building paths or looking
// at key characters: the walk below runs only to name the one found. One
// pass over each object, its keys checked as its values are visited (not a
// pass for the keys and another for the values), and only objects and
// arrays visited: most values are strings and numbers.
bool any_repeated_key(element value);

bool any_repeated_in(element value) {
  const auto t = value.type();
  return (t == simdjson::dom::element_type::OBJECT || t == simdjson::dom::element_type::ARRAY) &&
         any_repeated_key(value);
}

bool any_repeated_key(element value) {
  if (value.type() == simdjson::dom::element_type::OBJECT) {
    const object obj = value.get_object().value_unsafe();
    KeyRepeats keys(obj);
    for (auto field : obj) {
      if (keys.add(field.key) || any_repeated_in(field.value)) return true;
    }
  } else if (value.type() == simdjson::dom::element_type::ARRAY) {
    const simdjson::dom::array items = value.get_array().value_unsafe();  // held: value_unsafe() is a reference
    for (element e : items) {
      if (any_repeated_in(e)) return true;
    }
  }
  return false;
}

// `safe` is `at` itself while every key on the way was element-like, else the
// deepest ancestor that was.
std::optional<std::string> walk(element value, const Path& at, const Path* safe) {
  object obj;
  simdjson::dom::array arr;
  const bool exact = safe == &at;
  if (value.get_object().get(obj) == simdjson::SUCCESS) {
    if (auto key = repeated_key(obj)) {
      return exact && element_like(*key) ? (at / *key).str() : safe->str();
    }
    for (auto field : obj) {
      const Path child = at / field.key;
      const Path* child_safe = exact && element_like(field.key) ? &child : safe;
      if (auto found = walk(field.value, child, child_safe)) return found;
    }
  } else if (value.get_array().get(arr) == simdjson::SUCCESS) {
    std::size_t i = 0;
    for (element e : arr) {
      const Path child = at / i++;
      if (auto found = walk(e, child, exact ? &child : safe)) return found;
    }
  }
  return std::nullopt;
}

}  // namespace

void KeyRepeats::check_whole(object obj) {
  n_ = kPairwise + 1;
  whole_ = sorted_repeat(obj).has_value();
}

std::optional<std::string> find_duplicate_key(object obj, const Path& at) {
  if (auto key = repeated_key(obj)) return element_like(*key) ? (at / *key).str() : at.str();
  return std::nullopt;
}

std::optional<std::string> find_duplicate_key_deep(element value, const Path& at) {
  if (!any_repeated_key(value)) return std::nullopt;
  return walk(value, at, &at);
}

}  // namespace chartlock::json
