// SPDX-License-Identifier: Apache-2.0
// A Bundle is read entry by entry (json/array_member): the scan that finds
// the entries, and that reading so gives what reading the input whole gave —
// the same record, the same warnings, the same errors at the same limits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "ingest_support.hpp"
#include "json/array_member.hpp"

using chartlock::DiagnosticCode;
using chartlock::IngestError;
using chartlock::IngestOptions;
using chartlock::json::split_array_member;
using chartlock::json::ArraySplitter;

namespace {
// The splitter fed as a chunked read feeds it: `upto(given)` says how much
// of `text` has come once `given` bytes have.
struct Fed {
  ArraySplitter::Step step;
  std::vector<std::string> elements;
  std::string envelope;
};
template <class Upto>
Fed feed(const std::string& text, Upto upto) {
  ArraySplitter splitter("entry");
  std::string pending;
  std::size_t given = 0;
  Fed fed;
  for (;;) {
    std::size_t consumed = 0;
    std::string_view element;
    fed.step = splitter.next(pending, given == text.size(), consumed, element);
    if (fed.step == ArraySplitter::Step::element) fed.elements.emplace_back(element);
    pending.erase(0, consumed);
    if (fed.step == ArraySplitter::Step::done || fed.step == ArraySplitter::Step::refused) break;
    if (fed.step == ArraySplitter::Step::more) {
      const std::size_t next = upto(given);
      pending.append(text, given, next - given);
      given = next;
    }
  }
  fed.envelope = splitter.envelope();
  return fed;
}
}  // namespace

TEST_CASE("the scan finds a top-level array member's elements", "[ingest][json][split]") {
  const std::string text =
      R"( {"a":{"entry":[1]}, "entry" : [ {"x":"]},\"["} , [1,[2]] ,"s\\" , 3.5e1,null ] ,"z":"entry"} )";
  auto split = split_array_member(text, "entry");
  REQUIRE(split);
  REQUIRE(split->elements.size() == 5);
  CHECK(split->elements[0] == R"({"x":"]},\"["})");
  CHECK(split->elements[1] == "[1,[2]]");
  CHECK(split->elements[2] == R"("s\\")");
  CHECK(split->elements[3] == "3.5e1");
  CHECK(split->elements[4] == "null");
  CHECK(split->largest == split->elements[0].size());
  CHECK(split->envelope == R"( {"a":{"entry":[1]}, "entry" : [] ,"z":"entry"} )");

  auto empty = split_array_member(R"({"entry":[ ]})", "entry");
  REQUIRE(empty);
  CHECK(empty->elements.empty());
  CHECK(empty->envelope == R"({"entry":[]})");
}

TEST_CASE("the scan declines what a full parse must judge", "[ingest][json][split]") {
  for (const char* text : {
           "", "[]", "{}", R"({"entry":{}})", R"({"other":[1]})",
           R"({"entry":[1],"entry":[2]})",        // twice
           R"({"\u0065ntry":[1],"entry":[2]})",   // a name with an escape
           R"({"entry":[1,]})", R"({"entry":[,1]})", R"({"entry":[1 2]})",
           R"({"entry":[{"a":1}} ]})", R"({"entry":[{"a":"1}]})", R"({"entry":[1])",
           R"({"entry":[1]} x)", R"({"entry":[1]}})", R"({"entry" [1]})", R"({"entry":[1]"a":2})"}) {
    CAPTURE(text);
    CHECK_FALSE(split_array_member(text, "entry"));
  }
}

TEST_CASE("the splitter finds the same entries wherever the text is cut", "[ingest][json][split]") {
  // As a chunked read feeds it: the text so far, then the rest. Some cut
  // falls inside each entry, string, escape and bracket, where the splitter
  // must wait for more and scan that element again.
  const std::string text =
      R"({"resourceType":"Bundle","entry":[{"resource":{"id":"a\"]}","x":[1,{"y":"\\"}]}},)"
      R"( {"fullUrl":"urn:uuid:0123456789abcdef","resource":{"resourceType":"Observation","note":"{[\\\"]}"}} ,)"
      R"("s\\",3.5e1,[[[]]]],"type":"collection"})";
  const auto whole = chartlock::json::split_array_member(text, "entry");
  REQUIRE(whole);
  REQUIRE(whole->elements.size() == 5);
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    CAPTURE(cut);
    const Fed fed = feed(text, [&](std::size_t given) { return given < cut ? cut : text.size(); });
    REQUIRE(fed.step == ArraySplitter::Step::done);
    REQUIRE(fed.elements == std::vector<std::string>(whole->elements.begin(), whole->elements.end()));
    CHECK(fed.envelope == whole->envelope);
  }
}

TEST_CASE("the splitter finds the same entries in chunks of every size", "[ingest][json][split]") {
  std::mt19937 random(5);
  // Entries whose strings hold escapes, backslash runs, brackets and UTF-8,
  // some long enough to cross blocks and chunks.
  const std::vector<std::string> strings = {
      R"("a")", R"("\"]}")", R"("\\")", R"("\\\"[")", R"("{[\\\\")", "\"\xe2\x82\xac\xf0\x9f\x98\x80\"",
      "\"" + std::string(70, 'x') + "\\\"\"", "\"" + std::string(63, '\\') + "\\\"",
  };
  for (int round = 0; round < 40; ++round) {
    std::vector<std::string> entries;
    std::string text = R"({"resourceType":"Bundle","entry":[ )";
    for (int i = 0, n = 1 + random() % 5; i < n; ++i) {
      std::string entry = "{\"k\":" + strings[random() % strings.size()] + ",\"a\":[";
      for (int j = 0, m = random() % 4; j < m; ++j) entry += (j ? "," : "") + strings[random() % strings.size()];
      entry += "],\"o\":{\"p\":[[" + strings[random() % strings.size()] + "]]}}";
      entries.push_back(entry);
      text += (i ? " ,\n" : "") + entry;
    }
    text += R"( ],"type":"collection"})";
    const auto whole = chartlock::json::split_array_member(text, "entry");
    REQUIRE(whole);
    REQUIRE(std::vector<std::string>(whole->elements.begin(), whole->elements.end()) == entries);
    for (std::size_t chunk = 1; chunk <= text.size(); ++chunk) {
      CAPTURE(text, chunk);
      const Fed fed = feed(text, [&](std::size_t given) { return std::min(text.size(), given + chunk); });
      REQUIRE(fed.step == ArraySplitter::Step::done);
      REQUIRE(fed.elements == entries);
      REQUIRE(fed.envelope == whole->envelope);
    }
  }
}

namespace {
DiagnosticCode code_of(const std::string& json, IngestOptions options = {}) {
  try {
    test::ingest_one(json, "input.json", options);
  } catch (const IngestError& e) {
    return e.diagnostic().code;
  }
  FAIL("no IngestError");
  return DiagnosticCode::bad_resource;
}

const std::string patient = R"({"resourceType":"Patient","id":"p1","gender":"female"})";
const std::string condition =
    R"({"resourceType":"Condition","id":"c1","code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}],"text":"Diabetes"}})";
}  // namespace

TEST_CASE("a Bundle read entry by entry fails as the whole input would", "[ingest][json][split]") {
  CHECK(code_of(test::bundle({patient, R"({"resourceType":"Condition","id":})"})) ==
        DiagnosticCode::malformed_json);
  CHECK(code_of(test::bundle({patient, "{\"resourceType\":\"Basic\",\"x\":\"\xff\"}"})) ==
        DiagnosticCode::malformed_json);
  CHECK(code_of(test::bundle({patient, R"({"resourceType":"Basic","n":1e400})"})) ==
        DiagnosticCode::malformed_json);

  // The depth limit counts from the top of the input, not of the entry:
  // Bundle object, entry array, entry object, "resource" object, then `x`'s
  // arrays; max_depth levels are allowed, one more is too deep.
  IngestOptions options;
  options.limits.max_depth = 10;
  const auto with_depth = [](std::size_t n) {
    return test::bundle({R"({"resourceType":"Basic","x":)" + std::string(n, '[') + std::string(n, ']') + "}"});
  };
  CHECK_NOTHROW(test::ingest_one(with_depth(6), "input.json", options));  // 4 + 6 = 10 levels
  CHECK(code_of(with_depth(7), options) == DiagnosticCode::too_deep);    // 4 + 7 = 11
}

TEST_CASE("a Bundle read entry by entry gives the same record and warnings", "[ingest][json][split]") {
  // An entry that is not an object, a resource listed twice, a duplicate key
  // in the envelope: each warning as before, with the same pointers.
  const std::string text = R"({"resourceType":"Bundle","type":"collection","type":"searchset","entry":[)" +
                           std::string(R"({"resource":)") + patient + "}," + R"("not an entry",)" +
                           R"({"fullUrl":"urn:uuid:1","resource":)" + condition + "}," +
                           R"({"resource":)" + condition + "}]}";
  const chartlock::Record r = test::ingest_one(text);
  CHECK(r.patient.present);
  CHECK(r.conditions.size() == 1);
  CHECK(r.sources.at(0).bundleType == "collection");
  CHECK(test::has_warning(r, DiagnosticCode::wrong_type, "/entry/1"));
  CHECK(test::has_warning(r, DiagnosticCode::invalid_value, "/type"));
  REQUIRE(r.conditions[0].sources.size() == 1);
  CHECK(r.conditions[0].sources[0].pointer() == "/entry/2/resource");
  CHECK(r.conditions[0].sources[0].fullUrl() == "urn:uuid:1");

  // The same entries with the envelope's members after them.
  const std::string reordered = R"({"entry":[{"resource":)" + patient + R"(}],"resourceType":"Bundle","type":"collection"})";
  CHECK(test::ingest_one(reordered).patient.present);
}

TEST_CASE("a resource that is not a Bundle keeps its own entry array", "[ingest][json][split]") {
  // FHIR's List has an "entry" array too: it is read as the resource it is.
  const std::string list = R"({"resourceType":"List","id":"l1","status":"current","mode":"working","entry":[{"item":{"reference":"Patient/p1"}}]})";
  const chartlock::Record r = test::ingest_one(list);
  REQUIRE(r.other.size() == 1);
  CHECK(r.other[0].resourceType == "List");
  CHECK(r.other[0].raw.find("Patient/p1") != std::string::npos);
}
