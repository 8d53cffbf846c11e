// SPDX-License-Identifier: Apache-2.0
// Provenance's four texts, held end to end in one string: each reads back
// as set, whatever the others' lengths, through copies, moves and changes.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chartlock/record.hpp"

using chartlock::Provenance;

namespace {

struct Texts {
  std::string id, fullUrl, lastUpdated, pointer;
};

void check(const Provenance& p, const Texts& t) {
  CHECK(p.id() == t.id);
  CHECK(p.fullUrl() == t.fullUrl);
  CHECK(p.lastUpdated() == t.lastUpdated);
  CHECK(p.pointer() == t.pointer);
}

}  // namespace

TEST_CASE("a provenance's texts are empty until set", "[record][provenance]") {
  const Provenance p;
  check(p, {});
}

TEST_CASE("a provenance's texts read back as set, short, long and empty", "[record][provenance]") {
  const std::string long_text(300, 'x');
  const std::vector<Texts> cases = {
      {"a", "", "", ""},                                   // one short text
      {"", "", "", "/entry/0/resource"},                   // only the last
      {"", "urn:uuid:1", "", ""},                          // only a middle one
      {"0c9a3e5e-1f1a-4f0e-9d0b-3c2a1b0c9d8e", "urn:uuid:0c9a3e5e-1f1a-4f0e-9d0b-3c2a1b0c9d8e",
       "2024-01-01T00:00:00.000+00:00", "/entry/12345/resource"},  // past any inline buffer
      {long_text, "b", long_text + "!", ""},
  };
  for (const Texts& t : cases) {
    Provenance p;
    p.set_texts(t.id, t.fullUrl, t.lastUpdated, t.pointer);
    check(p, t);
    // Set again, shorter: nothing of the first texts shows through.
    p.set_texts("i", "", "l", "");
    check(p, {"i", "", "l", ""});
  }
}

TEST_CASE("one text changed leaves the others as they were", "[record][provenance]") {
  Provenance p;
  p.set_texts("o1", "urn:uuid:1", "2024-01-01", "/entry/0/resource");
  Texts t{"o1", "urn:uuid:1", "2024-01-01", "/entry/0/resource"};
  // Each text emptied, made longer, made shorter: first, middle and last.
  using Set = void (Provenance::*)(std::string_view);
  const struct {
    Set set;
    std::string Texts::*field;
    std::string value;
  } changes[] = {
      {&Provenance::set_fullUrl, &Texts::fullUrl, ""},
      {&Provenance::set_id, &Texts::id, "a-much-longer-identifier-than-before-0123456789"},
      {&Provenance::set_pointer, &Texts::pointer, "/1"},
      {&Provenance::set_lastUpdated, &Texts::lastUpdated, "2025-06-30T12:00:00Z"},
      {&Provenance::set_fullUrl, &Texts::fullUrl, "urn:uuid:2"},
      {&Provenance::set_id, &Texts::id, ""},
      {&Provenance::set_id, &Texts::id, "o2"},
  };
  for (const auto& c : changes) {
    (p.*c.set)(c.value);
    t.*c.field = c.value;
    check(p, t);
  }
  // A text taken from the provenance itself.
  p.set_fullUrl(p.id());
  t.fullUrl = t.id;
  check(p, t);
  p.set_texts(p.pointer(), p.id(), p.fullUrl(), p.lastUpdated());
  check(p, {t.pointer, t.id, t.fullUrl, t.lastUpdated});
}

TEST_CASE("a provenance copied or moved keeps its texts, and the copy is its own", "[record][provenance]") {
  const Texts long_t{"0c9a3e5e-1f1a-4f0e-9d0b-3c2a1b0c9d8e", "urn:uuid:0c9a3e5e-1f1a-4f0e-9d0b-3c2a1b0c9d8e",
                     "2024-01-01T00:00:00Z", "/entry/7/resource"};
  const Texts short_t{"a", "", "", "/0"};  // held inline: a move copies the characters
  for (const Texts& t : {long_t, short_t}) {
    Provenance p;
    p.source = "clinic-a";
    p.set_texts(t.id, t.fullUrl, t.lastUpdated, t.pointer);
    Provenance copy = p;
    check(copy, t);
    CHECK(copy.source == "clinic-a");
    copy.set_id("changed");
    check(p, t);  // the original is not changed with its copy
    Provenance assigned;
    assigned = p;
    check(assigned, t);
    Provenance moved = std::move(p);
    check(moved, t);
    Provenance move_assigned;
    move_assigned.set_texts("x", "y", "z", "w");
    move_assigned = std::move(moved);
    check(move_assigned, t);
    // In a list that grows (items' sources do, at merge): every element's texts stay.
    std::vector<Provenance> list;
    for (int i = 0; i < 100; ++i) {
      list.push_back(move_assigned);
      list.back().set_pointer("/entry/" + std::to_string(i));
    }
    for (int i = 0; i < 100; ++i) {
      CHECK(list[static_cast<std::size_t>(i)].id() == t.id);
      CHECK(list[static_cast<std::size_t>(i)].pointer() == "/entry/" + std::to_string(i));
    }
  }
}

// Merging leaves moved-from provenances in the draft: they read as four empty
// texts (not ends past an emptied string), and can be set again.
TEST_CASE("a moved-from provenance reads empty texts and can be set again", "[record][provenance]") {
  const Texts empty{"", "", "", ""};
  const Texts long_t{"0c9a3e5e-1f1a-4f0e-9d0b-3c2a1b0c9d8e", "urn:uuid:0c9a3e5e-1f1a-4f0e-9d0b-3c2a1b0c9d8e",
                     "2024-01-01T00:00:00Z", "/entry/7/resource"};
  const Texts short_t{"a", "b", "c", "/0"};  // held inline by the string
  for (const Texts& t : {long_t, short_t}) {
    Provenance p;
    p.set_texts(t.id, t.fullUrl, t.lastUpdated, t.pointer);
    Provenance moved = std::move(p);
    check(moved, t);
    check(p, empty);  // NOLINT(bugprone-use-after-move): what a moved-from one reads is the point
    p.set_texts("x", "y", "z", "w");
    check(p, Texts{"x", "y", "z", "w"});

    Provenance target;
    target.set_texts("old", "old", "old", "old");
    target = std::move(moved);
    check(target, t);
    check(moved, empty);  // NOLINT(bugprone-use-after-move)
    moved.set_pointer("/entry/1");
    check(moved, Texts{"", "", "", "/entry/1"});
  }
}
