// SPDX-License-Identifier: Apache-2.0
// The set of resources a source has read (fhir/seen_resources) and its hash
// (keyed_hash, whose own tests are keyed_hash_test.cpp): one key space for "Type/id" and fullUrls, as a set of those
// strings was.
#include <catch2/catch.hpp>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "fhir/seen_resources.hpp"
#include "ingest_support.hpp"
#include "keyed_hash.hpp"

using chartlock::KeyedHash;
using chartlock::fhir::Kind;
using chartlock::fhir::SeenResources;
using chartlock::fhir::SourceDraft;

TEST_CASE("a keyed hash is the same however its text is split", "[ingest][seen]") {
  const std::string text = "Observation/0123456789abcdef-long-enough-for-several-words";
  const std::uint64_t whole = KeyedHash().add(text).value();
  for (std::size_t i = 0; i <= text.size(); ++i) {
    for (std::size_t j = i; j <= text.size(); j += 7) {
      REQUIRE(KeyedHash().add(text.substr(0, i)).add(text.substr(i, j - i)).add(text.substr(j)).value() == whole);
    }
  }
  CHECK(KeyedHash().add("a").value() != KeyedHash().add(std::string("a\0", 2)).value());
  CHECK(KeyedHash().add("").value() != KeyedHash().add(std::string(1, '\0')).value());
}

TEST_CASE("the seen set finds a resource by Type/id or by fullUrl, in one key space", "[ingest][seen]") {
  SourceDraft draft;
  SeenResources seen(draft);
  auto add = [&](const char* type, const char* id, const char* url) {
    draft.add_entry(type, id, url, Kind::other, draft.entries.size());
    seen.insert(static_cast<std::uint32_t>(draft.entries.size() - 1));
  };
  add("Observation", "g1", "urn:uuid:1");
  add("Encounter", "", "urn:uuid:2");
  add("Basic", "", "");  // no key: never a repeat
  CHECK(seen.contains(SeenResources::key("Observation", "g1", "urn:uuid:other")));
  CHECK_FALSE(seen.contains(SeenResources::key("Observation", "", "urn:uuid:1")));  // keyed by its id only
  CHECK(seen.contains(SeenResources::key("Encounter", "", "urn:uuid:2")));
  CHECK_FALSE(seen.contains(SeenResources::key("Encounter", "e2", "urn:uuid:2")));
  CHECK(seen.contains(SeenResources::key("Condition", "", "Observation/g1")));  // the same string
  CHECK_FALSE(seen.contains(SeenResources::key("Observation/g", "1", "")));  // "Observation/g/1"
  CHECK_FALSE(seen.contains(SeenResources::key("Basic", "", "")));
  CHECK(SeenResources::same({"ab", "/", "c"}, {"a", "b/c", ""}));
  CHECK_FALSE(SeenResources::same({"ab", "/", "c"}, {"ab/", "d", ""}));
  CHECK_FALSE(SeenResources::same({"ab", "/", "c"}, {"ab/c", "d", ""}));
  // Many, through the table's growth, texts kept in the draft's arena.
  for (int i = 0; i < 30000; ++i) add("Condition", ("c" + std::to_string(i)).c_str(), "");
  for (int i = 0; i < 30000; ++i) REQUIRE(seen.contains(SeenResources::key("Condition", "c" + std::to_string(i), "")));
  CHECK_FALSE(seen.contains(SeenResources::key("Condition", "c30000", "")));
  CHECK(seen.contains(SeenResources::key("Observation", "g1", "")));
}

TEST_CASE("the seen set answers as a set of strings through its growth", "[ingest][seen]") {
  // Repeats asked for and refused, entries without a key between the others
  // (their hashes are never kept), both insert()s: every answer as a
  // std::set's, while the table grows from 1,024 slots to 32,768.
  SourceDraft draft;
  SeenResources seen(draft);
  std::set<std::string> keys;
  std::mt19937 rng(5);
  std::size_t repeats = 0;
  for (int i = 0; i < 30000; ++i) {
    const auto entry = [&] { return static_cast<std::uint32_t>(draft.entries.size() - 1); };
    if (i % 3 == 0) {
      draft.add_entry("Basic", "", "", Kind::other, draft.entries.size());
      seen.insert(entry());
      continue;
    }
    const bool by_url = i % 5 == 0;
    const std::string id = std::to_string(rng() % 16000);
    const std::string type = by_url ? "" : "Condition";
    const std::string own_id = by_url ? "" : id;  // the key views these
    const std::string url = by_url ? "urn:uuid:" + id : "";
    const SeenResources::Key key = SeenResources::key(type, own_id, url);
    const std::string text = by_url ? url : type + "/" + id;
    const bool seen_before = keys.count(text) != 0;
    REQUIRE(seen.contains(key) == seen_before);
    if (seen_before) {
      ++repeats;
      continue;
    }
    draft.add_entry(by_url ? "Encounter" : "Condition", own_id, url, Kind::other, draft.entries.size());
    if (i % 2) seen.insert(entry(), SeenResources::hash(key));
    else seen.insert(entry());
    keys.insert(text);
  }
  CHECK(repeats > 1000);
  for (int i = 0; i < 16000; ++i) {
    const std::string id = std::to_string(i);
    CHECK(seen.contains(SeenResources::key("Condition", id, "")) == (keys.count("Condition/" + id) != 0));
    CHECK(seen.contains(SeenResources::key("", "", "urn:uuid:" + id)) == (keys.count("urn:uuid:" + id) != 0));
  }
}

TEST_CASE("a fullUrl that spells another resource's Type/id is that resource again", "[ingest][seen]") {
  // As when the keys were strings in one set: read once.
  const std::string json =
      R"({"resourceType":"Bundle","type":"searchset","entry":[)"
      R"({"resource":{"resourceType":"Observation","id":"g1","status":"final","code":{"text":"x"}}},)"
      R"({"fullUrl":"Observation/g1","resource":{"resourceType":"Observation","status":"final","code":{"text":"y"}}}]})";
  CHECK(test::ingest_one(json).observations.size() == 1);
}
