// SPDX-License-Identifier: Apache-2.0
#include "summary/civil_date.hpp"

#include <cctype>

namespace chartlock::summary {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (s.size() < pos + n) return false;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

int number(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int month_days(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

bool valid(const CivilDate& d) {
  return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= month_days(d.year, d.month);
}

}  // namespace

std::optional<CivilDate> parse_date(std::string_view s) {
  if (!digits(s, 0, 4)) return std::nullopt;
  CivilDate d{number(s, 0, 4), 1, 1};
  if (s.size() > 4) {
    if (s[4] != '-' || !digits(s, 5, 2)) return std::nullopt;
    d.month = number(s, 5, 2);
    if (s.size() > 7) {
      if (s[7] != '-' || !digits(s, 8, 2)) return std::nullopt;
      d.day = number(s, 8, 2);
    }
  }
  if (!valid(d)) return std::nullopt;
  return d;
}

std::optional<CivilDate> parse_day(std::string_view s) {
  if (s.size() != 10) return std::nullopt;
  return parse_date(s);
}

std::string date_part(std::string_view s) {
  return std::string(s.substr(0, std::min<std::size_t>(s.size(), 10)));
}

std::string to_string(const CivilDate& d) {
  auto two = [](int v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
  std::string y = std::to_string(d.year);
  while (y.size() < 4) y.insert(y.begin(), '0');
  return y + "-" + two(d.month) + "-" + two(d.day);
}

int years_between(const CivilDate& birth, const CivilDate& on) {
  int years = on.year - birth.year;
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --years;
  return years;
}

CivilDate add_months(const CivilDate& d, int months) {
  int index = d.year * 12 + (d.month - 1) + months;
  // Floor division, so negative offsets land in the right year.
  const int year = index >= 0 ? index / 12 : -((-index + 11) / 12);
  CivilDate out{year, index - year * 12 + 1, d.day};
  out.day = std::min(out.day, month_days(out.year, out.month));
  return out;
}

std::int64_t day_number(const CivilDate& d) {
  // Howard Hinnant's days_from_civil.
  const std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (d.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate from_day_number(std::int64_t n) {
  // Howard Hinnant's civil_from_days.
  n += 719468;
  const std::int64_t era = (n >= 0 ? n : n - 146096) / 146097;
  const std::int64_t doe = n - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{static_cast<int>(year), static_cast<int>(month), static_cast<int>(day)};
}

std::string day_text(std::string_view fhir, DateStyle style) {
  const std::string part = date_part(fhir);
  if (style == DateStyle::iso || part.size() < 7) return part;
  const std::optional<CivilDate> d = parse_date(part);
  if (!d) return part;
  static const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};
  const std::string month = kMonths[d->month - 1], year = std::to_string(d->year);
  if (part.size() < 10) return month + " " + year;
  const std::string day = std::to_string(d->day);
  return style == DateStyle::month_day_year ? month + " " + day + ", " + year : day + " " + month + " " + year;
}

}  // namespace chartlock::summary
