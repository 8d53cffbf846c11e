// SPDX-License-Identifier: Apache-2.0
// ingredients_of searches only the ingredients a label's words name (an index
// by each name's first word): it must find exactly what a phrase search of
// every name finds, in the same order, for every name in the knowledge base
// and every label in the fixtures.
#include <catch2/catch.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "chartlock/knowledge.hpp"

namespace kb = chartlock::knowledge;

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The plain search: every name of every ingredient, as a whole phrase.
std::vector<std::string> every_name_search(const kb::Knowledge& k, const std::string& label) {
  const std::string text = lower(label);
  std::vector<std::string> out;
  for (const kb::Ingredient& ing : k.ingredients) {
    std::vector<std::string> names{lower(ing.name)};
    for (const std::string& n : ing.also_known_as) names.push_back(lower(n));
    bool found = false;
    for (const std::string& name : names) {
      for (std::size_t at = name.empty() ? std::string::npos : text.find(name); !found && at != std::string::npos;
           at = text.find(name, at + 1)) {
        const std::size_t end = at + name.size();
        found = (at == 0 || !word_char(text[at - 1])) && (end == text.size() || !word_char(text[end]));
      }
    }
    if (found) out.push_back(ing.name);
  }
  return out;
}

std::vector<std::string> indexed_search(const kb::Knowledge& k, const std::string& label) {
  std::vector<std::string> out;
  for (const kb::IngredientMatch& m : k.ingredients_of(chartlock::CodeableConcept{{}, label})) {
    CHECK(m.by == "name");
    out.push_back(m.ingredient->name);
  }
  return out;
}

// Every quoted value after `key` in a file: JSON "display"/"text", C-CDA displayName.
void collect(const std::string& body, const std::string& key, std::set<std::string>& out) {
  for (std::size_t at = body.find(key); at != std::string::npos; at = body.find(key, at + 1)) {
    const std::size_t start = at + key.size();
    const std::size_t end = body.find('"', start);
    if (end == std::string::npos) break;
    if (end - start < 200) out.insert(body.substr(start, end - start));
  }
}

}  // namespace

TEST_CASE("ingredients_of finds what a search of every name finds: knowledge base names",
          "[summary][knowledge][ingredients]") {
  const kb::Knowledge& k = kb::get();
  std::size_t matched = 0;
  for (const kb::Ingredient& ing : k.ingredients) {
    std::vector<std::string> names{ing.name};
    names.insert(names.end(), ing.also_known_as.begin(), ing.also_known_as.end());
    for (const std::string& n : names) {
      for (const std::string& label : {n, n + " 10 MG Oral Tablet", "(" + n + ")", "Tab " + n + "/water",
                                       "X" + n, n + "x", "co-" + n, n + " | " + n}) {
        INFO(label);
        const auto expected = every_name_search(k, label);
        CHECK(indexed_search(k, label) == expected);
        matched += !expected.empty();
      }
    }
  }
  CHECK(matched > k.ingredients.size());  // the labels above do name ingredients
}

TEST_CASE("ingredients_of finds what a search of every name finds: fixture labels",
          "[summary][knowledge][ingredients]") {
  const kb::Knowledge& k = kb::get();
  std::set<std::string> labels;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(CHARTLOCK_FIXTURES)) {
    if (!entry.is_regular_file()) continue;
    const std::string ext = entry.path().extension().string();
    if (ext != ".json" && ext != ".xml" && ext != ".ndjson") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    collect(body, "\"display\":\"", labels);
    collect(body, "\"display\": \"", labels);
    collect(body, "\"text\":\"", labels);
    collect(body, "\"text\": \"", labels);
    collect(body, "displayName=\"", labels);
  }
  REQUIRE(labels.size() > 100);
  std::size_t matched = 0;
  for (const std::string& label : labels) {
    INFO(label);
    const auto expected = every_name_search(k, label);
    CHECK(indexed_search(k, label) == expected);
    matched += !expected.empty();
  }
  CHECK(matched > 10);  // the fixtures do hold medications the knowledge base names
}
