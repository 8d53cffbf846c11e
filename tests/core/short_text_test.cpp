// SPDX-License-Identifier: Apache-2.0
// ShortText, the record's keys and dates: reads back as set at every length
// (inline up to 31 characters, a heap block past them), through copies,
// moves and self-assignment, and compares and hashes as std::string does.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "chartlock/short_text.hpp"

using chartlock::ShortText;

namespace {

std::string text_of(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + i % 26));
  return s;
}

}  // namespace

TEST_CASE("a short text reads back as set at every length, inline up to its limit", "[short-text]") {
  const ShortText empty;
  CHECK(empty.empty());
  CHECK(empty.size() == 0);
  CHECK(empty.view().empty());
  CHECK_FALSE(empty.on_heap());
  for (const std::size_t n : {std::size_t{1}, std::size_t{20}, ShortText::kInline - 1, ShortText::kInline,
                              ShortText::kInline + 1, std::size_t{35}, std::size_t{100000}}) {
    const std::string s = text_of(n);
    const ShortText t(s);
    INFO(n);
    CHECK(t.size() == n);
    CHECK(t.view() == s);
    CHECK(t.str() == s);
    CHECK(t.on_heap() == (n > ShortText::kInline));
  }
  // A NUL inside is a character like any other.
  const std::string with_nul("a\0b", 3);
  CHECK(ShortText(with_nul).view() == with_nul);
}

TEST_CASE("a short text's copies are its own and a move empties the one moved from", "[short-text]") {
  for (const std::size_t n : {std::size_t{0}, std::size_t{25}, ShortText::kInline, ShortText::kInline + 1,
                              std::size_t{300}}) {
    INFO(n);
    const std::string s = text_of(n);
    ShortText a(s);
    ShortText b(a);
    CHECK(b == s);
    if (n > ShortText::kInline) CHECK(b.data() != a.data());
    a = "changed";
    CHECK(b == s);
    CHECK(a == "changed");

    ShortText c(std::move(b));
    CHECK(c == s);
    CHECK(b.empty());  // NOLINT: read after the move on purpose
    ShortText d("something else, longer than thirty-one characters");
    d = std::move(c);
    CHECK(d == s);
    CHECK(c.empty());  // NOLINT
    ShortText& same = d;  // through a reference: clang warns on `d = d`
    d = same;             // self-copy
    CHECK(d == s);
    d = std::move(same);  // self-move keeps the value
    CHECK(d == s);
    d = d.view();  // assigned from its own characters
    CHECK(d == s);
    if (n > 1) {
      d = d.view().substr(1);  // a part of its own characters, inline or on the heap
      CHECK(d == std::string_view(s).substr(1));
    }
    d.clear();
    CHECK(d.empty());
    CHECK_FALSE(d.on_heap());
  }
}

TEST_CASE("a list of short texts grows and sorts as a list of strings", "[short-text]") {
  std::vector<std::string> strings;
  std::vector<ShortText> texts;
  for (std::size_t i = 0; i < 200; ++i) {
    strings.push_back(text_of(i % 50) + std::to_string(i));
    texts.push_back(strings.back());
  }
  std::sort(strings.begin(), strings.end());
  std::sort(texts.begin(), texts.end());
  REQUIRE(texts.size() == strings.size());
  for (std::size_t i = 0; i < texts.size(); ++i) CHECK(texts[i] == strings[i]);
}

TEST_CASE("a short text compares and hashes as std::string does", "[short-text]") {
  const std::vector<std::string> values = {"",     "a",   "b",   "ab", text_of(31), text_of(32), text_of(33),
                                           "\xff", "\x01", "cond-0a0318acfedf646b", "2006-01-02T11:26:00+00:00"};
  for (const std::string& x : values) {
    for (const std::string& y : values) {
      const ShortText a(x), b(y);
      INFO(x << " / " << y);
      CHECK((a == b) == (x == y));
      CHECK((a != b) == (x != y));
      CHECK((a < b) == (x < y));
      CHECK((a > b) == (x > y));
      CHECK((a <= b) == (x <= y));
      CHECK((a >= b) == (x >= y));
      CHECK((a == y) == (x == y));
      CHECK((x == b) == (x == y));
      CHECK((a < y) == (x < y));
      CHECK((x < b) == (x < y));
      CHECK((a == std::string_view(y)) == (x == y));
      CHECK((a != y.c_str()) == (x != y));
    }
    CHECK(std::hash<ShortText>()(ShortText(x)) == std::hash<std::string>()(x));
  }
  std::map<ShortText, int> by_text;
  by_text["b"] = 2;
  by_text[text_of(40)] = 3;
  by_text["a"] = 1;
  CHECK(by_text.begin()->first == "a");
  std::unordered_set<ShortText> set = {"x", text_of(40)};
  CHECK(set.count(ShortText(text_of(40))) == 1);
  CHECK(set.count(ShortText("y")) == 0);
  CHECK(std::string("key: ") + ShortText("enc-1") == "key: enc-1");
  CHECK(ShortText("enc-1") + "-2" == "enc-1-2");
}
