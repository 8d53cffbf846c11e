// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

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
}
