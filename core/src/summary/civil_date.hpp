// SPDX-License-Identifier: Apache-2.0
// Calendar dates for the summary's rules: ages, "within N months", seasons.
// Proleptic Gregorian, no time zones: a FHIR dateTime counts on the date its
// source wrote.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "chartlock/summary.hpp"

namespace chartlock::summary {

struct CivilDate {
  int year = 0, month = 1, day = 1;
  friend bool operator<(const CivilDate& a, const CivilDate& b) {
    if (a.year != b.year) return a.year < b.year;
    if (a.month != b.month) return a.month < b.month;
    return a.day < b.day;
  }
  friend bool operator==(const CivilDate& a, const CivilDate& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend bool operator<=(const CivilDate& a, const CivilDate& b) { return !(b < a); }
};

// The date a FHIR date or dateTime starts with; a missing month or day counts
// as the first. nullopt when it does not start with a valid date.
std::optional<CivilDate> parse_date(std::string_view fhir);

// Strictly "YYYY-MM-DD" (the --today option).
std::optional<CivilDate> parse_day(std::string_view s);

// The date part as written: "2019-05-02T13:00:00Z" → "2019-05-02", "2019" → "2019".
std::string date_part(std::string_view fhir);

std::string to_string(const CivilDate& d);

// A FHIR date as written in a sentence: "2023-06-13" → "June 13, 2023" or
// "13 June 2023"; "2023-06" → "June 2023"; a year alone, or anything that is
// not a date, as written. `iso` keeps the date part as written.
std::string day_text(std::string_view fhir, DateStyle style);

// Whole years from `birth` to `on`.
int years_between(const CivilDate& birth, const CivilDate& on);

// `d` moved by `months` (negative: back), the day clamped to the month's length.
CivilDate add_months(const CivilDate& d, int months);

std::int64_t day_number(const CivilDate& d);  // days since 1970-01-01
CivilDate from_day_number(std::int64_t n);     // its inverse

}  // namespace chartlock::summary
