// SPDX-License-Identifier: Apache-2.0
// Interned strings (chartlock/interned.hpp): value behaviour, the pool's cap,
// and a record whose sources carry more distinct values than the pool holds.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "chartlock/interned.hpp"
#include "ingest_support.hpp"

using chartlock::Interned;

namespace {

const std::string& as_string(const std::string& s) { return s; }

}  // namespace

TEST_CASE("an interned string behaves as a value", "[interned]") {
  Interned empty;
  CHECK(empty.empty());
  CHECK(empty.size() == 0);
  CHECK(empty == "");
  CHECK(as_string(empty).empty());

  Interned a = "http://unitsofmeasure.org";
  Interned b = std::string("http://unitsofmeasure.org");
  CHECK(a.pooled());
  CHECK(a == b);
  CHECK(&a.str() == &b.str());  // one copy of the characters
  CHECK(a == std::string_view("http://unitsofmeasure.org"));
  CHECK("http://unitsofmeasure.org" == a);
  CHECK(a != "http://loinc.org");
  CHECK(std::string("x") != a);
  CHECK(as_string(a) == "http://unitsofmeasure.org");
  CHECK(a.size() == 25);
  CHECK(std::string(a.c_str()) == "http://unitsofmeasure.org");
  CHECK(Interned("a") < Interned("b"));
  CHECK("mm[Hg] " + Interned("x") == "mm[Hg] x");

  Interned c = a;
  a = "mg";
  CHECK(c == "http://unitsofmeasure.org");
  CHECK(a == "mg");
  Interned d = std::move(c);
  CHECK(d == "http://unitsofmeasure.org");
  a.clear();
  CHECK(a.empty());
  a = std::string();
  CHECK(a.empty());
  CHECK(!a.pooled());
}

// The pool keeps the strings it last found in a small table under a cheap
// hash of their length and first and last eight bytes: strings alike in
// those and different between them share a slot, and must still be told apart.
TEST_CASE("strings that differ only in their middle are pooled apart", "[interned]") {
  std::vector<std::string> texts;
  for (int i = 0; i < 40; ++i) texts.push_back("urn:oid:" + std::to_string(1000 + i) + "-same-tail");
  std::vector<Interned> first;
  for (const std::string& t : texts) first.emplace_back(t);
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = texts.size(); i-- > 0;) {
      const Interned again(texts[i]);
      CHECK(again == texts[i]);
      CHECK(&again.str() == &first[i].str());
      if (i + 1 < texts.size()) CHECK(&again.str() != &first[i + 1].str());
    }
  }
}

TEST_CASE("a string longer than the pool takes is owned by its value", "[interned]") {
  const std::size_t before = Interned::pool_size();
  const std::string long_text(Interned::kMaxLength + 1, 'u');
  Interned a = long_text;
  CHECK(!a.pooled());
  CHECK(Interned::pool_size() == before);
  Interned b = a;  // a copy of its own
  CHECK(!b.pooled());
  CHECK(&a.str() != &b.str());
  CHECK(a == b);
  a = "short";
  CHECK(b == long_text);
  Interned moved = std::move(b);
  CHECK(moved == long_text);
}

TEST_CASE("an owned value assigned its own characters keeps them", "[interned]") {
  // As std::string's assign allows: the old characters are read before they
  // are freed (a view of them, or the value's own str()).
  const std::string long_text(Interned::kMaxLength + 72, 'v');
  Interned a = long_text;
  REQUIRE(!a.pooled());
  a = a.view();
  CHECK(a == long_text);
  a = a.str();
  CHECK(a == long_text);
  a = a.view().substr(8);
  CHECK(a == long_text.substr(8));
}

// Fills the process-wide pool: every later value in this test binary is stored
// un-interned, which changes memory, never behaviour (the other tests are
// written against behaviour).
TEST_CASE("a source with more distinct units than the pool holds", "[interned][hostile]") {
  std::vector<std::string> observations;
  const std::size_t n = Interned::kMaxEntries + 500;
  for (std::size_t i = 0; i < n; ++i) {
    observations.push_back(R"({"resourceType":"Observation","id":"o)" + std::to_string(i) +
                           R"(","status":"final","code":{"text":"Weight"},"valueQuantity":{"value":1,"unit":"unit-)" +
                           std::to_string(i) + R"("}})");
  }
  const chartlock::Record r = test::ingest_one(test::bundle(observations));
  CHECK(Interned::pool_size() == Interned::kMaxEntries);
  REQUIRE(r.observations.size() == n);
  std::size_t owned = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const chartlock::Quantity& q = r.observations[i].value.quantity;
    CHECK(q.unit == "unit-" + std::to_string(i));
    if (!q.unit.pooled()) ++owned;
  }
  CHECK(owned >= 500);
  // A value met before the pool filled is still shared; a new one is not.
  CHECK(Interned("final").pooled());
  CHECK(!Interned("a unit no source had").pooled());
  CHECK(Interned("a unit no source had") == "a unit no source had");
  // Copying the record copies owned values, shares pooled ones.
  const chartlock::Record copy = r;
  CHECK(copy.observations.back().value.quantity.unit == r.observations.back().value.quantity.unit);
  CHECK(Interned::pool_size() == Interned::kMaxEntries);
}
