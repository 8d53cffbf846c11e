// SPDX-License-Identifier: Apache-2.0
// json::for_each_member_name: the top-level names of an object read by a
// scan, and the SMART Health Card sniff built on it, which must decide as a
// full parse would without parsing a large FHIR input.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "chartlock/health_card.hpp"
#include "json/member_names.hpp"

using chartlock::json::for_each_member_name;

namespace {

std::vector<std::string> names_of(std::string_view text, bool* read = nullptr) {
  std::vector<std::string> out;
  const bool ok = for_each_member_name(text, [&](std::string_view n) {
    out.emplace_back(n);
    return true;
  });
  if (read) *read = ok;
  return out;
}

}  // namespace

TEST_CASE("member names are the top level's, in order, values skipped", "[json][members]") {
  bool read = false;
  CHECK(names_of(R"( {"a":{"b":1,"c":[{"d":"}"}]}, "e" : "x\"y" ,"f":[1,"]",{}],"g":null} )", &read) ==
        std::vector<std::string>{"a", "e", "f", "g"});
  CHECK(read);
  CHECK(names_of("{}", &read).empty());
  CHECK(read);
}

TEST_CASE("the scan stops when asked, and says when it cannot read the text", "[json][members]") {
  std::vector<std::string> seen;
  CHECK(for_each_member_name(R"({"a":1,"b":[ unclosed)", [&](std::string_view n) {
    seen.emplace_back(n);
    return n != "a";
  }));
  CHECK(seen == std::vector<std::string>{"a"});

  bool read = true;
  names_of(R"([{"a":1}])", &read);
  CHECK_FALSE(read);  // not an object
  names_of(R"({"a":1,"b\u0063":2})", &read);
  CHECK_FALSE(read);  // an escaped name might spell anything
  names_of(R"({"a":1,"b":[1,2})", &read);
  CHECK_FALSE(read);  // unbalanced
  names_of(R"({"a":1} {"b":2})", &read);
  CHECK_FALSE(read);  // something after the object
  names_of(R"({"a" 1})", &read);
  CHECK_FALSE(read);
  names_of(R"({"a":1,})", &read);
  CHECK_FALSE(read);
  names_of(R"({"a":"unterminated})", &read);
  CHECK_FALSE(read);
}

TEST_CASE("a card file is told from FHIR by its top-level names alone", "[json][members][shc]") {
  const std::string jws = "eyJhbGciOiJFUzI1NiJ9.e30.c2ln";
  CHECK(chartlock::looks_like_health_card(R"({"verifiableCredential":[")" + jws + R"("]})"));
  CHECK(chartlock::looks_like_health_card(R"( {"x":{"resourceType":"Patient"},"verifiableCredential":[]} )"));
  // The key inside a resource, or beside a resourceType anywhere at the top:
  // FHIR, as a full parse says.
  CHECK_FALSE(chartlock::looks_like_health_card(
      R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Basic","verifiableCredential":[]}}]})"));
  CHECK_FALSE(chartlock::looks_like_health_card(R"({"verifiableCredential":[],"resourceType":"Bundle"})"));
  CHECK_FALSE(chartlock::looks_like_health_card(R"({"note":"\"verifiableCredential\""})"));
  // Text only a parse can judge is parsed, as before: not JSON, not a card.
  CHECK_FALSE(chartlock::looks_like_health_card(R"({"verifiableCredential":[1,2})"));
  CHECK_FALSE(chartlock::looks_like_health_card(R"({"verifiableCredential":[]} trailing)"));
  CHECK_FALSE(chartlock::looks_like_health_card(R"({"verifiable\u0043redential":[]})"));
  CHECK(chartlock::looks_like_health_card(R"({"a\u0062":1,"verifiableCredential":[]})"));
}

TEST_CASE("strings are skipped the same, short or long, wherever an escape falls", "[json][members]") {
  // An escaped quote or backslash, at every offset in a string of up to 160
  // bytes, in a member's value and inside an array.
  for (std::size_t n = 0; n < 80; ++n) {
    const std::string pad(n, 'x');
    for (const std::string value : {pad + R"(\"}],)" + pad, pad + R"(\\)", pad + R"(\\\")" + pad + R"(\\)",
                                    R"(\")" + pad, pad + R"(\u0022)" + pad}) {
      bool read = false;
      INFO("value: " << value);
      CHECK(names_of(R"({"a":")" + value + R"(","b":[")" + value + R"("],"c":1})", &read) ==
            std::vector<std::string>{"a", "b", "c"});
      CHECK(read);
    }
    // A backslash as the text's last byte, or a string never closed: not read.
    bool read = true;
    names_of(R"({"a":")" + pad + "\\", &read);
    CHECK_FALSE(read);
    names_of(R"({"a":")" + pad + R"(\")", &read);
    CHECK_FALSE(read);
  }
}
