// SPDX-License-Identifier: Apache-2.0
// Calendar arithmetic on Unix seconds, integer-only (proleptic Gregorian,
// after H. Hinnant's days_from_civil / civil_from_days), and the ways
// providers spell dates and times.
#pragma once

#include <cstdint>
#include <string_view>

namespace chartlock::synth {

inline constexpr std::int64_t kMinute = 60;
inline constexpr std::int64_t kHour = 3600;
inline constexpr std::int64_t kDay = 86400;
inline constexpr std::int64_t kYear = 31556952;  // mean Gregorian year

struct CivilDate {
  std::int64_t year;
  int month;  // 1–12
  int day;    // 1–31
};

std::int64_t days_from_civil(std::int64_t year, int month, int day);
CivilDate civil_from_days(std::int64_t days);
// Midnight UTC of a date, in Unix seconds.
inline std::int64_t unix_time(std::int64_t year, int month, int day) {
  return days_from_civil(year, month, day) * kDay;
}
// Floor division, so times before 1970 land on the right day.
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}
inline CivilDate civil_date(std::int64_t t) { return civil_from_days(floor_div(t, kDay)); }

// A provider's spelling: its fixed UTC offset, and whether UTC is written
// "Z" or "+00:00" (Synthea writes the latter).
struct TimeStyle {
  int offset_minutes = 0;
  bool zulu = false;
};

struct Stamp {
  char text[40];
  std::size_t size = 0;
  std::string_view view() const { return {text, size}; }
};

Stamp format_date(std::int64_t t, const TimeStyle& style);       // 2019-05-02 (local)
Stamp format_date_time(std::int64_t t, const TimeStyle& style);  // 2019-05-02T09:30:00-05:00
Stamp format_instant(std::int64_t t, const TimeStyle& style);    // 2019-05-02T14:30:00Z (always UTC)

}  // namespace chartlock::synth
