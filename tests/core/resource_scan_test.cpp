// SPDX-License-Identifier: Apache-2.0
// fhir::scan_resource (core/src/fhir/resource_scan.cpp) against a reading of
// its rules written plainly here, with a repeated-key check of its own (a
// set of each object's keys, against json::KeyRepeats' pairwise compares and
// its whole-object check for a wide one), over random resources of every shape: numbers,
// true, false, null, empty and nested containers, arrays of arrays, wide
// objects, repeated keys anywhere, and the keys the scan treats apart (div,
// system, url, profile, code, data, contentType) holding sensitive words,
// codes and attachments.
#include <catch2/catch.hpp>

#include <simdjson.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "chartlock/code_systems.hpp"
#include "chartlock/knowledge.hpp"
#include "consent/sensitivity.hpp"
#include "fhir/resource_scan.hpp"
#include "text/base64.hpp"
#include "text/markup.hpp"
#include "text/note_text.hpp"

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The scan's rules, read plainly (resource_scan.cpp), repeats found by a set.
struct PlainReading {
  chartlock::consent::SensitivityScan scan;
  bool repeated = false;

  void value(element e, std::string_view key) {
    switch (e.type()) {
      case element_type::OBJECT:
        object(e.get_object().value_unsafe());
        break;
      case element_type::ARRAY: {
        const simdjson::dom::array items = e.get_array().value_unsafe();  // held: value_unsafe() is a reference
        for (element item : items) value(item, key);
        break;
      }
      case element_type::STRING: {
        const std::string_view s = e.get_string().value_unsafe();
        if (key == "div") scan.text(chartlock::text::strip_markup(s));
        else if (key != "system" && key != "url" && key != "profile") scan.text(s);
        break;
      }
      default:
        break;
    }
  }

  void object(simdjson::dom::object o) {
    std::set<std::string_view> keys;
    std::string_view system, code, content_type, data;
    for (auto field : o) {
      if (!keys.insert(field.key).second) repeated = true;
      std::string_view s;
      if (field.value.get(s) == simdjson::SUCCESS) {
        if (field.key == "system") system = s;
        if (field.key == "code") code = s;
        if (field.key == "contentType") content_type = s;
        if (field.key == "data") data = s;
        if (field.key == "system" || field.key == "data") continue;
      }
      value(field.value, field.key);
    }
    if (!code.empty()) scan.coding(system, code);
    if (data.empty()) return;
    if (auto decoded = chartlock::text::base64_decode(data, std::size_t{4} * 1024 * 1024)) {
      const chartlock::text::NoteText note = chartlock::text::note_text(content_type, *decoded);
      if (note.read) scan.text(note.text);
      else if (starts_with(content_type, "text/") || starts_with(content_type, "application/xhtml") ||
               content_type.find("xml") != std::string_view::npos ||
               content_type.find("json") != std::string_view::npos || starts_with(content_type, "application/rtf"))
        scan.text(*decoded);
    }
  }
};

// Random resources: small objects mostly, some wider than KeyRepeats'
// pairwise limit, some keys given twice.
struct Maker {
  std::mt19937 rng;
  std::vector<std::string> words;  // the knowledge base's sensitive words, and plain ones
  std::vector<std::pair<std::string, std::string>> codes;

  explicit Maker(unsigned seed) : rng(seed) {
    const auto& kb = chartlock::knowledge::get();
    for (const auto& cat : kb.sensitive) {
      for (const auto& phrase : cat.words) {
        std::string p;
        for (const auto& w : phrase) p += (p.empty() ? "" : " ") + w;
        words.push_back(p);
      }
      for (const auto& w : cat.whole_words) words.push_back(w);
      for (const auto& c : cat.codes.snomed) codes.emplace_back(chartlock::systems::snomed, c);
      for (const auto& c : cat.loinc) codes.emplace_back(chartlock::systems::loinc, c);
    }
    for (const char* w : {"final", "urn:uuid:0b1c", "2020-01-02", "mg", "Asthma", "<p>x</p>", "a b", ""})
      words.emplace_back(w);
  }

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }

  // None of the words, codes or base64 holds a quote or a backslash (the
  // parse below would fail if one did).
  static std::string quoted(const std::string& s) { return "\"" + s + "\""; }

  std::string text() {
    std::string s = words[pick(words.size())];
    if (pick(3) == 0) s = "x " + s + " " + words[pick(words.size())];
    return s;
  }

  std::string value(int depth, const std::string& key) {
    const std::size_t kind = depth > 4 ? pick(7) : pick(10);
    switch (kind) {
      case 0:
        return std::to_string(static_cast<long long>(rng()) - 2147483648LL);
      case 1:
        return pick(2) ? "18446744073709551615" : "-1.5e300";
      case 2:
        return pick(3) == 0 ? "null" : pick(2) ? "true" : "false";
      case 7:
      case 8:
        return object(depth + 1);
      case 9: {
        std::string a = "[";
        const std::size_t n = pick(5);
        for (std::size_t i = 0; i < n; ++i) a += (i ? "," : "") + value(depth + 1, key);
        return a + "]";
      }
      default:
        if (key == "div") return quoted("<div>" + text() + "</div>");
        return quoted(text());
    }
  }

  std::string object(int depth) {
    static const char* const kKeys[] = {"text", "div", "system", "url", "profile", "code", "data",
                                        "contentType", "display", "value", "note", "k", "id", "extension"};
    const std::size_t n = pick(8) == 0 ? 17 + pick(8) : pick(7);
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < n; ++i) {
      std::string k = kKeys[pick(std::size(kKeys))];
      if (n > 6 || pick(4) == 0) k += std::to_string(i);  // mostly distinct
      if (pick(40) == 0 && !keys.empty()) k = keys[pick(keys.size())];  // a repeat
      keys.push_back(k);
    }
    std::vector<std::string> fields;
    for (const std::string& k : keys) {
      std::string v;
      if (k == "code" && pick(2) == 0) {
        const auto& c = codes[pick(codes.size())];
        fields.push_back(quoted("system") + ":" + quoted(c.first));
        v = quoted(c.second);
      } else if (k == "data") {
        v = quoted(chartlock::text::base64_encode(text()));
      } else if (k == "contentType") {
        v = quoted(pick(2) ? "text/plain" : "text/html");
      } else {
        v = value(depth, k);
      }
      fields.push_back(quoted(k) + ":" + v);
    }
    std::string o = "{";
    for (std::size_t i = 0; i < fields.size(); ++i) o += (i ? "," : "") + fields[i];
    return o + "}";
  }
};

}  // namespace

TEST_CASE("resource scan: sensitivity and repeated keys as a plain reading with a set finds them", "[sensitivity]") {
  Maker make(17);
  simdjson::dom::parser parser;
  int repeats = 0, found = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string json = make.object(0);
    INFO(json);
    element root;
    REQUIRE(parser.parse(json).get(root) == simdjson::SUCCESS);
    PlainReading dom;
    dom.value(root, {});
    const chartlock::fhir::ResourceScan scan = chartlock::fhir::scan_resource(root);
    CHECK(scan.sensitive == dom.scan.found());
    CHECK(scan.repeated_key == dom.repeated);
    repeats += dom.repeated ? 1 : 0;
    found += dom.scan.found() != 0 ? 1 : 0;
  }
  // The cases above are of both kinds.
  CHECK(repeats > 100);
  CHECK(found > 1000);
}

TEST_CASE("resource scan: the scan starts at the element given, not at the document's root", "[sensitivity]") {
  simdjson::dom::parser parser;
  element root;
  REQUIRE(parser.parse(std::string(R"({"a":[1,2.5,{"text":"HIV","k":1,"k":2}],"b":{"text":"plain"}})")).get(root) ==
          simdjson::SUCCESS);
  const auto a = chartlock::fhir::scan_resource(root["a"].value_unsafe());
  const auto b = chartlock::fhir::scan_resource(root["b"].value_unsafe());
  CHECK(a.repeated_key);
  CHECK(a.sensitive != 0);
  CHECK_FALSE(b.repeated_key);
  CHECK(b.sensitive == 0);
}
