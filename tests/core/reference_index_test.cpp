// SPDX-License-Identifier: Apache-2.0
// The reference index over a source's entries (merge/reference_index): what
// each form of reference finds, and that it reads the entries in place.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "merge/reference_index.hpp"

using chartlock::fhir::Kind;
using chartlock::fhir::ResourceEntry;
using chartlock::merge::ReferenceIndex;
using Outcome = ReferenceIndex::Outcome;

namespace {
ResourceEntry entry(std::string type, std::string id, std::string full_url = {}) {
  return ResourceEntry{std::move(type), std::move(id), std::move(full_url), Kind::other, 0, {}};
}
}  // namespace

TEST_CASE("the reference index finds fullUrls, Type/id and absolute URLs", "[ingest][references]") {
  const std::vector<ResourceEntry> entries{
      entry("Patient", "p1", "urn:uuid:aaaa"),
      entry("Observation", "o1", "https://ehr.example/fhir/Observation/o1"),
      entry("Observation", "o1", "urn:uuid:second"),  // the same Type/id again: the first wins
      entry("Encounter", "", "urn:uuid:enc"),         // no id: found by fullUrl only
      entry("Basic", "a/b"),                          // an id with a '/' is never a Type/id
      entry("", "x"),                                 // no type: "/x" as it was joined
  };
  const ReferenceIndex index(entries);
  auto found = [&](const char* reference) {
    const auto r = index.find(reference);
    return r.outcome == Outcome::found ? static_cast<int>(r.entry) : -1;
  };
  CHECK(found("urn:uuid:aaaa") == 0);
  CHECK(found("Patient/p1") == 0);
  CHECK(found("https://other.example/fhir/Patient/p1") == 0);
  CHECK(found("Patient/p1/_history/3") == 0);
  CHECK(found("https://ehr.example/fhir/Observation/o1") == 1);
  CHECK(found("https://ehr.example/fhir/Observation/o1/_history/2") == 1);
  CHECK(found("Observation/o1") == 1);
  CHECK(found("urn:uuid:second") == 2);
  CHECK(found("urn:uuid:enc") == 3);
  CHECK(found("Encounter/") == -1);
  CHECK(found("Basic/a/b") == -1);
  CHECK(found("a/b") == -1);
  CHECK(found("a//x") == 5);
  CHECK(index.find("urn:uuid:missing").outcome == Outcome::dangling);
  CHECK(index.find("Patient/p2").outcome == Outcome::dangling);
  CHECK(index.find("Patient").outcome == Outcome::dangling);
  CHECK(index.find("/p1").outcome == Outcome::dangling);
  CHECK(index.find("Patient?identifier=x|1").outcome == Outcome::conditional);
}

TEST_CASE("the reference index holds a large source without collisions losing entries", "[ingest][references]") {
  std::vector<ResourceEntry> entries;
  for (int i = 0; i < 20000; ++i) {
    entries.push_back(entry(i % 2 ? "Observation" : "Condition", std::to_string(i),
                            "urn:uuid:" + std::to_string(i * 7919)));
  }
  const ReferenceIndex index(entries);
  for (int i = 0; i < 20000; ++i) {
    const std::string type_id = std::string(i % 2 ? "Observation/" : "Condition/") + std::to_string(i);
    const auto by_id = index.find(type_id);
    REQUIRE(by_id.outcome == Outcome::found);
    REQUIRE(by_id.entry == static_cast<std::size_t>(i));
    const auto by_url = index.find("urn:uuid:" + std::to_string(i * 7919));
    REQUIRE(by_url.outcome == Outcome::found);
    REQUIRE(by_url.entry == static_cast<std::size_t>(i));
  }
  CHECK(index.find("Observation/20001").outcome == Outcome::dangling);
}
