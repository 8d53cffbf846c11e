// SPDX-License-Identifier: Apache-2.0
// json::find_duplicate_key_deep against a plain reading of its contract:
// whether any object anywhere in a value repeats a key, and the pointer of
// the first such object's repeat depth-first, in random nested values whose
// keys come from a small alphabet (so that repeats happen at every depth,
// in arrays of objects, in empty and in wide objects past the pairwise size).
#include <catch2/catch.hpp>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "json/duplicate_keys.hpp"

using chartlock::json::find_duplicate_key_deep;
using chartlock::json::Path;

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// The key `obj` repeats, compared every pair: the first one equal to an
// earlier one, or in an object of more than 16 keys (sorted, not compared
// pairwise) the least in byte order of those that repeat.
std::optional<std::string> repeat_in(simdjson::dom::object obj) {
  std::vector<std::string> keys;
  for (auto field : obj) keys.emplace_back(field.key);
  std::optional<std::string> first, least;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (keys[i] != keys[j]) continue;
      if (!first) first = keys[i];
      if (!least || keys[i] < *least) least = keys[i];
    }
  }
  return keys.size() > 16 ? least : first;
}

// Depth-first: an object's own repeat before its members'.
std::optional<std::string> reference(element e, const std::string& at) {
  if (e.type() == element_type::OBJECT) {
    const simdjson::dom::object obj = e.get_object().value_unsafe();
    if (auto key = repeat_in(obj)) return at + "/" + *key;
    for (auto field : obj) {
      if (auto found = reference(field.value, at + "/" + std::string(field.key))) return found;
    }
  } else if (e.type() == element_type::ARRAY) {
    std::size_t i = 0;
    const simdjson::dom::array items = e.get_array().value_unsafe();
    for (element item : items) {
      if (auto found = reference(item, at + "/" + std::to_string(i++))) return found;
    }
  }
  return std::nullopt;
}

class RandomValue {
 public:
  explicit RandomValue(unsigned seed) : rng_(seed) {}

  std::string value(int depth) {
    switch (depth <= 0 ? rng_() % 3 : rng_() % 6) {
      case 0: return "\"s\"";
      case 1: return std::to_string(rng_() % 100);
      case 2: return rng_() % 2 ? "null" : "true";
      case 3: return array(depth);
      default: return object(depth);
    }
  }

 private:
  std::string key() {
    // Two letters from three: keys repeat often in larger objects, seldom in small ones.
    static const char letters[] = "abc";
    std::string k;
    const std::size_t n = 1 + rng_() % 2;
    for (std::size_t i = 0; i < n; ++i) k += letters[rng_() % 3];
    return k;
  }
  std::string object(int depth) {
    // Mostly 0-4 members (few repeats), sometimes wide: past KeyRepeats::kPairwise.
    const std::size_t members = rng_() % 8 == 0 ? 14 + rng_() % 8 : rng_() % 5;
    std::string out = "{";
    std::vector<std::string> used;
    for (std::size_t i = 0; i < members; ++i) {
      std::string k = key();
      // A wide object keeps distinct keys most of the time, else it would always repeat.
      if (members > 4 && rng_() % 4 != 0) k = "w" + std::to_string(i);
      if (i) out += ',';
      out += '"' + k + "\":" + value(depth - 1);
    }
    return out + '}';
  }
  std::string array(int depth) {
    const std::size_t items = rng_() % 4;
    std::string out = "[";
    for (std::size_t i = 0; i < items; ++i) {
      if (i) out += ',';
      out += value(depth - 1);
    }
    return out + ']';
  }

  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("a repeated key is found anywhere in a value, as a pairwise reading finds it", "[json][duplicates]") {
  simdjson::dom::parser parser;
  RandomValue random(23);
  std::size_t with_repeat = 0, without = 0;
  for (int round = 0; round < 6000; ++round) {
    const std::string text = random.value(1 + round % 6);
    INFO(text);
    const element doc = parser.parse(text);
    const std::optional<std::string> expected = reference(doc, "/r");
    const std::optional<std::string> found = find_duplicate_key_deep(doc, Path("/r"));
    REQUIRE(found == expected);
    ++(expected ? with_repeat : without);
  }
  // Both answers were asked for many times over.
  CHECK(with_repeat > 500);
  CHECK(without > 500);
}

TEST_CASE("a repeated key deep in arrays, after values of every type", "[json][duplicates]") {
  simdjson::dom::parser parser;
  const std::string cases[][2] = {
      {R"({"a":[1,"x",null,true,{}, [], [[{"b":1,"c":2,"b":3}]]]})", "/a/6/0/0/b"},
      {R"([{"a":{}},{"a":{"a":1}},{"k":{"x":1,"x":2},"k":0}])", "/2/k"},
      {R"({"":1,"":2})", ""},  // an empty key is not element-like: the object's own pointer
      {R"({"a":{"b":[{"c":{"d":{"e":1,"f":{"g":1,"g":1}}}}]}})", "/a/b/0/c/d/f/g"},
      {R"({"a":[{}],"b":{},"c":[]})", "none"},
  };
  for (const auto& [text, pointer] : cases) {
    INFO(text);
    const auto found = find_duplicate_key_deep(parser.parse(text), Path());
    CHECK(found.value_or("none") == pointer);
  }
}
