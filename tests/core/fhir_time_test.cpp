// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <iterator>
#include <optional>
#include <random>
#include <string>

#include "fhir/fhir_time.hpp"

using chartlock::fhir::canonical_time;
using chartlock::fhir::is_fhir_date_time;

TEST_CASE("FHIR date, dateTime and instant forms are accepted", "[time]") {
  for (const char* s : {"2019", "2019-05", "2019-05-02", "2019-05-02T13:00:00Z",
                        "2019-05-02T13:00:00.123+02:00", "2019-05-02T13:00:00-05:00",
                        "2016-02-29", "2019-05-02T23:59:60Z", "2019-05-02T13:00:00"}) {
    INFO(s);
    CHECK(is_fhir_date_time(s));
  }
}

TEST_CASE("malformed dates are rejected", "[time]") {
  for (const char* s : {"", "19", "0000", "2019-13", "2019-00", "2019-02-29", "2019-04-31",
                        "2019-05-02T", "2019-05-02T24:00:00Z", "2019-05-02T13:00Z",
                        "2019-05-02T13:00:00+15:00", "2019-05-02T13:00:00+0200",
                        "2019-05-02 13:00:00Z", "05/02/2019", "2019-05-02T13:00:00.Z",
                        "2019-05-02T13:00:00.1234567890Z", "2019-05-02Z"}) {
    INFO(s);
    CHECK_FALSE(is_fhir_date_time(s));
  }
}

TEST_CASE("canonical time puts full date-times in UTC", "[time]") {
  CHECK(canonical_time("2019-05-02") == "2019-05-02");
  CHECK(canonical_time("2019-05-02T13:00:00Z") == "2019-05-02T13:00:00Z");
  CHECK(canonical_time("2019-05-02T13:00:00+00:00") == "2019-05-02T13:00:00Z");
  CHECK(canonical_time("2019-05-02T09:00:00-04:00") == "2019-05-02T13:00:00Z");
  CHECK(canonical_time("2019-12-31T22:30:00-02:00") == "2020-01-01T00:30:00Z");
  CHECK(canonical_time("2020-03-01T01:00:00+02:00") == "2020-02-29T23:00:00Z");
  CHECK(canonical_time("2019-05-02T13:00:00.500+00:00") == "2019-05-02T13:00:00.5Z");
  CHECK(canonical_time("2019-05-02T13:00:00.000Z") == "2019-05-02T13:00:00Z");
  CHECK(canonical_time("2019-05-02T13:00:00") == "2019-05-02T13:00:00");
  CHECK_FALSE(canonical_time("nope"));
}

TEST_CASE("canonical time appended to an identity being built", "[time]") {
  std::string key = "Observation\x1f";
  CHECK(chartlock::fhir::append_canonical_time(key, "2019-05-02T09:00:00-04:00"));
  CHECK(key == "Observation\x1f" "2019-05-02T13:00:00Z");
  CHECK(chartlock::fhir::append_canonical_time(key, "2019"));
  CHECK(key == "Observation\x1f" "2019-05-02T13:00:00Z2019");
  CHECK_FALSE(chartlock::fhir::append_canonical_time(key, "2019-05-02T13:00"));
  CHECK(key == "Observation\x1f" "2019-05-02T13:00:00Z2019");  // nothing appended
}

TEST_CASE("canonical time at the edges of the calendar", "[time]") {
  CHECK(canonical_time("0001-01-01T00:30:00+01:00") == "0000-12-31T23:30:00Z");
  CHECK(canonical_time("9999-12-31T23:00:00-02:00") == "10000-01-01T01:00:00Z");
  CHECK(canonical_time("2024-02-28T23:59:60-00:30") == "2024-02-29T00:29:60Z");  // a leap second keeps its 60
  CHECK(canonical_time("2019-05-02T13:00:00.123456789+14:00") == "2019-05-01T23:00:00.123456789Z");
  CHECK(canonical_time("2019-05-02T13:00:00.10-12:00") == "2019-05-03T01:00:00.1Z");
  CHECK(canonical_time("2019-05-02T07:08:09") == "2019-05-02T07:08:09");
  // No offset: copied as written, whatever the calendar's edge.
  CHECK(canonical_time("0001-01-01T00:00:00+00:00") == "0001-01-01T00:00:00Z");
  CHECK(canonical_time("9999-12-31T23:59:60.900-00:00") == "9999-12-31T23:59:60.9Z");
  CHECK(canonical_time("2019-05-02T13:00:00.000000000+00:00") == "2019-05-02T13:00:00Z");
}

namespace {

// The parse as it was before its fields' bounds were checked by length
// (digit by digit, each with its own bound): what it accepts, and the
// canonical form of a time without a zone or in UTC, from its fields.
bool reference_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

std::optional<std::string> reference_canonical(std::string_view s) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, zh = 0, zm = 0;
  if (!reference_digits(s, 0, 4, year) || year == 0) return std::nullopt;
  if (s.size() == 4) return std::string(s);
  if (s[4] != '-' || !reference_digits(s, 5, 2, month) || month < 1 || month > 12) return std::nullopt;
  if (s.size() == 7) return std::string(s);
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (s[7] != '-' || !reference_digits(s, 8, 2, day) || day < 1 || day > days[month - 1]) return std::nullopt;
  if (s.size() == 10) return std::string(s);
  if (s[10] != 'T' || !reference_digits(s, 11, 2, hour) || s.size() < 19 || s[13] != ':' ||
      !reference_digits(s, 14, 2, minute) || s[16] != ':' || !reference_digits(s, 17, 2, second) ||
      hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  std::string out(s.substr(0, 19));
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start || pos - start > 9) return std::nullopt;
    std::string_view fraction = s.substr(start, pos - start);
    while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
    if (!fraction.empty()) out.append(".").append(fraction);
  }
  if (pos == s.size()) return out;
  if (s[pos] == 'Z' && pos + 1 == s.size()) return out + "Z";
  if ((s[pos] != '+' && s[pos] != '-') || s.size() != pos + 6 || !reference_digits(s, pos + 1, 2, zh) ||
      s[pos + 3] != ':' || !reference_digits(s, pos + 4, 2, zm) || zm > 59 || zh > 14 || (zh == 14 && zm != 0))
    return std::nullopt;
  // No offset: the digits as written, in UTC (copied, not computed).
  if (zh == 0 && zm == 0) return out + "Z";
  return std::string("zone");  // moved to UTC: the cases above check that arithmetic
}

}  // namespace

TEST_CASE("dates accepted and written as the digit-by-digit parse did", "[time]") {
  // Valid forms of every precision, then each mutated at random: a character
  // replaced by one that matters somewhere in a date, cut short, or grown.
  const std::string forms[] = {"2019", "2019-05", "2016-02-29", "2019-05-02T13:04:05",
                               "2019-05-02T13:04:05Z", "2019-05-02T13:04:05.120Z",
                               "2019-05-02T23:59:60.000000001-05:30", "2019-05-02T13:04:05+14:00",
                               "2019-05-02T13:04:05+00:00", "2019-05-02T13:04:05.250-00:00"};
  const std::string chars = "0123456789-T:.Z+ /\xe2";
  std::mt19937 rng(11);
  std::size_t accepted = 0, refused = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string s = forms[rng() % std::size(forms)];
    for (unsigned edits = rng() % 3; edits > 0; --edits) {
      switch (rng() % 4) {
        case 0: s.resize(rng() % (s.size() + 1)); break;
        case 1: s += chars[rng() % chars.size()]; break;
        default:
          if (!s.empty()) s[rng() % s.size()] = chars[rng() % chars.size()];
      }
    }
    INFO(s);
    const std::optional<std::string> expected = reference_canonical(s);
    REQUIRE(is_fhir_date_time(s) == expected.has_value());
    const std::optional<std::string> found = canonical_time(s);
    REQUIRE(found.has_value() == expected.has_value());
    if (expected && *expected != "zone") REQUIRE(*found == *expected);
    ++(expected ? accepted : refused);
  }
  CHECK(accepted > 20000);
  CHECK(refused > 20000);
}
