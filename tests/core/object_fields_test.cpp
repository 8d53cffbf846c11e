// SPDX-License-Identifier: Apache-2.0
// json::ObjectFields: an object's members walked once and found by key must
// answer every key exactly as simdjson's at_key does: present or absent, the
// first of a repeated key, escaped and empty keys, objects past the table's
// size (searched with at_key), and keys that share a hash slot.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "json/object_fields.hpp"

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

// Every key in `keys`, and each of `probes`, looked up both ways.
void check_same(simdjson::dom::object obj, const std::vector<std::string>& probes) {
  const ObjectFields fields(obj);
  for (auto member : obj) {
    const std::string key(member.key);
    INFO("key " << key);
    CHECK(found_text(fields.find(key)) == found_text(obj.at_key(key)));
  }
  for (const std::string& key : probes) {
    INFO("probe " << key);
    CHECK(found_text(fields.find(key)) == found_text(obj.at_key(key)));
  }
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
      text += quoted(random_key()) + ':' + std::to_string(i);
    }
    text += '}';
    INFO("object " << text);
    simdjson::dom::object obj = parser.parse(text).get_object();
    std::vector<std::string> probes;
    for (int i = 0; i < 20; ++i) probes.push_back(random_key());
    check_same(obj, probes);
  }
}
