// SPDX-License-Identifier: Apache-2.0
// json::ObjectFields: an object's members walked once and found by key must
// answer every key exactly as simdjson's at_key does: present or absent, the
// first of a repeated key, escaped and empty keys, objects past the table's
// size (searched with at_key), and keys that share a hash slot. So must the
// walks that read an object without a table (find_member, find_members).
#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "json/object_fields.hpp"

using chartlock::json::find_member;
using chartlock::json::find_members;
using chartlock::json::ObjectFields;

namespace {

// The element's JSON text, or "absent": compares what the two lookups found.
std::string found_text(simdjson::simdjson_result<simdjson::dom::element> r) {
  simdjson::dom::element e;
  if (r.get(e) != simdjson::SUCCESS) return "absent";
  return simdjson::minify(e);
}

std::string found_text(std::optional<simdjson::dom::element> e) {
  return e ? simdjson::minify(*e) : std::string("absent");
}

std::string quoted(const std::string& key) {
  std::string out = "\"";
  for (char c : key) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

// Three distinct keys read in one walk, each as at_key finds it.
void check_walk(simdjson::dom::object obj, const std::string& a, const std::string& b, const std::string& c) {
  const std::string_view keys[] = {a, b, c};
  std::optional<simdjson::dom::element> found[3];
  find_members(obj, keys, found);
  for (std::size_t k = 0; k < 3; ++k) {
    INFO("walked " << keys[k]);
    CHECK(found_text(found[k]) == found_text(obj.at_key(keys[k])));
  }
}

// Every key in `keys`, and each of `probes`, looked up every way.
void check_same(simdjson::dom::object obj, const std::vector<std::string>& probes) {
  const ObjectFields fields(obj);
  std::vector<std::string> asked;
  for (auto member : obj) {
    const std::string key(member.key);
    INFO("key " << key);
    CHECK(found_text(fields.find(key)) == found_text(obj.at_key(key)));
    CHECK(found_text(find_member(obj, key)) == found_text(obj.at_key(key)));
    asked.push_back(key);
  }
  for (const std::string& key : probes) {
    INFO("probe " << key);
    CHECK(found_text(fields.find(key)) == found_text(obj.at_key(key)));
    CHECK(found_text(find_member(obj, key)) == found_text(obj.at_key(key)));
    asked.push_back(key);
  }
  // Members and probes three at a time, in the order met (repeats dropped:
  // find_members takes distinct keys).
  std::vector<std::string> distinct;
  for (const std::string& key : asked) {
    if (std::find(distinct.begin(), distinct.end(), key) == distinct.end()) distinct.push_back(key);
  }
  for (std::size_t i = 0; i + 3 <= distinct.size(); ++i) check_walk(obj, distinct[i], distinct[i + 2], distinct[i + 1]);
}

}  // namespace

TEST_CASE("fields are found as at_key finds them", "[json][fields]") {
  simdjson::dom::parser parser;
  const std::string text =
      R"({"code":{"text":"x"},"status":"final","valueQuantity":{"value":1},"":"empty",)"
      R"("a\"b":1,"effectiveDateTime":"2020","status":"second","x/y~z":[1,2],"issued":null})";
  simdjson::dom::object obj = parser.parse(text).get_object();
  const ObjectFields fields(obj);
  CHECK(found_text(fields.find("code")) == R"({"text":"x"})");
  CHECK(found_text(fields.find("status")) == R"("final")");  // the first of a repeat
  CHECK(found_text(fields.find("")) == R"("empty")");
  CHECK(found_text(fields.find("a\"b")) == "1");
  CHECK(found_text(fields.find("x/y~z")) == "[1,2]");
  CHECK(found_text(fields.find("issued")) == "null");
  CHECK(found_text(fields.find("valueString")) == "absent");
  CHECK(found_text(fields.find("effectiveDateTim")) == "absent");
  CHECK(found_text(fields.find("effectiveDateTimeX")) == "absent");
  CHECK(found_text(fields.find("Code")) == "absent");
  check_same(obj, {"valueCodeableConcept", "valueRange", "valueRatio", "value", "statu", "statuses"});

  simdjson::dom::object empty = parser.parse(std::string("{}")).get_object();
  CHECK(found_text(ObjectFields(empty).find("code")) == "absent");
  CHECK(found_text(ObjectFields(empty).find("")) == "absent");
  CHECK(found_text(find_member(empty, "code")) == "absent");
  check_walk(empty, "code", "", "text");
  // The first of a repeat, walking: a Coding whose code appears twice.
  simdjson::dom::object coding =
      parser.parse(std::string(R"({"code":"a","system":{"x":[1,{"code":"c"}]},"code":"b","display":"d"})")).get_object();
  check_walk(coding, "system", "code", "display");
  CHECK(found_text(find_member(coding, "code")) == R"("a")");
}

TEST_CASE("random objects: every key, and absent ones, found as at_key finds them", "[json][fields]") {
  // Keys from a small alphabet and length range collide in the table often;
  // objects up to 80 members pass the table's size and fall back to at_key.
  std::mt19937 rng(17);
  simdjson::dom::parser parser;
  const std::string alphabet = "abcvV\"\\/~";
  auto random_key = [&] {
    std::string key;
    const std::size_t n = rng() % 6;
    for (std::size_t i = 0; i < n; ++i) key += alphabet[rng() % alphabet.size()];
    return key;
  };
  for (int round = 0; round < 3000; ++round) {
    const std::size_t members = rng() % 81;
    std::string text = "{";
    for (std::size_t i = 0; i < members; ++i) {
      if (i) text += ',';
      // Values of every kind: a walk steps over a nested object or array
      // (and a number's two tape words) to the next key.
      const std::string n = std::to_string(i);
      const std::string values[] = {n, '"' + n + '"', "{\"" + n + "\":[" + n + ",{}]}", "[" + n + ",[]]", "true", "null", n + ".5"};
      text += quoted(random_key()) + ':' + values[rng() % std::size(values)];
    }
    text += '}';
    INFO("object " << text);
    simdjson::dom::object obj = parser.parse(text).get_object();
    std::vector<std::string> probes;
    for (int i = 0; i < 20; ++i) probes.push_back(random_key());
    check_same(obj, probes);
  }
}
