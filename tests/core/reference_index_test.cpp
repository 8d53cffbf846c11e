// SPDX-License-Identifier: Apache-2.0
// The reference index over a source's entries (merge/reference_index): what
// each form of reference finds, and that it reads the entries in place.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "merge/reference_index.hpp"

using chartlock::fhir::Kind;
using chartlock::fhir::SourceDraft;
using chartlock::merge::ReferenceIndex;
using Outcome = chartlock::fhir::RefOutcome;

namespace {
// Entries with texts of their own, as the C-CDA reader adds them (the FHIR
// readers' entries read theirs from their items: [arena]).
struct Entry {
  std::string_view type, id, full_url;
};
SourceDraft draft_of(const std::vector<Entry>& entries) {
  SourceDraft draft;
  for (const Entry& e : entries) draft.add_entry(e.type, e.id, e.full_url, Kind::other, 0);
  return draft;
}
// The entry a reference finds, or -1 when it finds none.
int found_entry(const ReferenceIndex& index, const char* reference) {
  const auto r = index.find(reference);
  return r.outcome == Outcome::found ? static_cast<int>(r.entry) : -1;
}
}  // namespace

TEST_CASE("the reference index finds fullUrls, Type/id and absolute URLs", "[ingest][references]") {
  const SourceDraft draft = draft_of({
      {"Patient", "p1", "urn:uuid:aaaa"},
      {"Observation", "o1", "https://ehr.example/fhir/Observation/o1"},
      {"Observation", "o1", "urn:uuid:second"},  // the same Type/id again: the first wins
      {"Encounter", "", "urn:uuid:enc"},         // no id: found by fullUrl only
      {"Basic", "a/b"},                          // an id with a '/' is never a Type/id
      {"", "x"},                                 // no type: "/x" as it was joined
  });
  const ReferenceIndex index(draft);
  auto found = [&](const char* reference) { return found_entry(index, reference); };
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

TEST_CASE("the reference index of a source without fullUrls (NDJSON) finds Type/id and absolute URLs",
          "[ingest][references]") {
  const SourceDraft draft =
      draft_of({{"Patient", "p1"}, {"Encounter", "e1"}, {"Encounter", "e1"}, {"Encounter", ""}});
  const ReferenceIndex index(draft);
  auto found = [&](const char* reference) { return found_entry(index, reference); };
  CHECK(found("Patient/p1") == 0);
  CHECK(found("Encounter/e1") == 1);  // the first of two
  CHECK(found("https://ehr.example/fhir/Encounter/e1/_history/2") == 1);
  CHECK(index.find("urn:uuid:e1").outcome == Outcome::dangling);
  CHECK(index.find("Encounter/").outcome == Outcome::dangling);
  CHECK(index.find("Encounter?identifier=x|1").outcome == Outcome::conditional);
}

TEST_CASE("the reference index finds entries that read their texts from their items, a Patient's too",
          "[ingest][references]") {
  // As the FHIR readers add them: the item first, its entry reading the
  // item's provenance; lists grow after (their strings move).
  SourceDraft draft;
  const auto observation = [](const char* id, const char* url) {
    chartlock::Observation o;
    chartlock::Provenance& p = o.sources.emplace_back();
    p.resourceType = "Observation";
    p.set_id(id);
    p.set_fullUrl(url);
    return o;
  };
  chartlock::Patient patient;
  patient.sources.emplace_back().resourceType = "Patient";
  patient.sources.back().set_id("p1");
  patient.sources.back().set_fullUrl("urn:uuid:pat");
  draft.patients.push_back(std::move(patient));
  draft.add_entry(Kind::patient, 0);
  draft.observations.push_back(observation("o1", "urn:uuid:obs1"));
  draft.add_entry(Kind::observation, 0);
  draft.observations.push_back(observation("o2", ""));
  draft.add_entry(Kind::observation, 1);
  draft.observations.push_back(observation("o1", "urn:uuid:again"));  // the same Type/id: the first wins
  draft.add_entry(Kind::observation, 2);
  for (int i = 0; i < 64; ++i) draft.observations.push_back(observation("later", ""));
  const ReferenceIndex index(draft);
  auto found = [&](const char* reference) { return found_entry(index, reference); };
  CHECK(found("Patient/p1") == 0);
  CHECK(found("urn:uuid:pat") == 0);
  CHECK(found("https://ehr.example/fhir/Patient/p1/_history/1") == 0);
  CHECK(found("Observation/o1") == 1);
  CHECK(found("urn:uuid:obs1") == 1);
  CHECK(found("Observation/o2") == 2);
  CHECK(found("urn:uuid:again") == 3);
  CHECK(index.find("Observation/later").outcome == Outcome::dangling);  // items without entries
  CHECK(index.find("Patient/o1").outcome == Outcome::dangling);
  CHECK(index.find("Observation/p1").outcome == Outcome::dangling);
}

TEST_CASE("the reference index holds a large source without collisions losing entries", "[ingest][references]") {
  SourceDraft draft;
  for (int i = 0; i < 20000; ++i) {
    draft.add_entry(i % 2 ? "Observation" : "Condition", std::to_string(i), "urn:uuid:" + std::to_string(i * 7919),
                    Kind::other, 0);
  }
  const ReferenceIndex index(draft);
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

namespace {
// The index's hash as it was before it was keyed (a fixed basis): ids chosen
// so that this hash puts them all in the first 1,024 of 65,536 slots. Linear
// probing makes them one run, and each insert and lookup walks it: 100,000
// such ids (ordinary "o123"-style FHIR ids, a few seconds to find) took 24 s
// to index and 31 s to look up natively.
std::uint64_t unkeyed_mix(std::uint64_t h, std::string_view s) {
  constexpr std::uint64_t k = 0x9e3779b97f4a7c15ull;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * k;
    h ^= h >> 29;
  }
  std::uint64_t tail = s.size() - i;
  for (std::size_t j = 0; i + j < s.size(); ++j) {
    tail |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[i + j])) << (8 * (j + 1));
  }
  h = (h ^ tail) * k;
  return h ^ (h >> 32);
}
}  // namespace

TEST_CASE("ids crafted to collide under a known hash do not pile up in the reference index",
          "[ingest][references]") {
  constexpr std::size_t n = 20000;  // 65,536 slots
  const std::uint64_t before_id = unkeyed_mix(unkeyed_mix(0x243f6a8885a308d3ull, "Observation"), "/");
  SourceDraft draft;
  std::string id;
  for (std::size_t c = 0; draft.entries.size() < n; ++c) {
    id = "o" + std::to_string(c);
    if ((unkeyed_mix(before_id, id) & 0xffff) < 1024) draft.add_entry("Observation", id, {}, Kind::other, 0);
  }
  const ReferenceIndex index(draft);
  // Half full at most: a run of a few dozen is already unusual; unkeyed,
  // these made one run of all 20,000.
  CHECK(index.longest_run() < 200);
  CHECK(index.find("Observation/" + id).entry == n - 1);
}
