// SPDX-License-Identifier: Apache-2.0
#include "fhir/fhir_time.hpp"

#include <cstdint>

namespace chartlock::fhir {

namespace {

struct Parsed {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int precision = 0;  // 1 year, 2 month, 3 day, 4 time
  std::string_view fraction;  // without trailing zeros
  bool has_zone = false;
  int zone_minutes = 0;  // east of UTC
};

// Two digits at p as a number, or -1. The caller has checked both are in
// the string: each field's bounds are checked once, by the length, not
// digit by digit (every resource has several dates, each parsed to be
// checked and again for a merge identity).
int two_digits(const char* p) {
  const unsigned a = static_cast<unsigned char>(p[0]) - unsigned{'0'};
  const unsigned b = static_cast<unsigned char>(p[1]) - unsigned{'0'};
  return a < 10 && b < 10 ? static_cast<int>(a * 10 + b) : -1;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

std::optional<Parsed> parse(std::string_view s) {
  const std::size_t n = s.size();
  const char* c = s.data();
  Parsed p;
  if (n < 4) return std::nullopt;
  const int century = two_digits(c), year = two_digits(c + 2);
  if (century < 0 || year < 0 || (p.year = century * 100 + year) == 0) return std::nullopt;
  p.precision = 1;
  if (n == 4) return p;
  if (n < 7 || c[4] != '-' || (p.month = two_digits(c + 5)) < 1 || p.month > 12) return std::nullopt;
  p.precision = 2;
  if (n == 7) return p;
  if (n < 10 || c[7] != '-' || (p.day = two_digits(c + 8)) < 1 || p.day > days_in_month(p.year, p.month))
    return std::nullopt;
  p.precision = 3;
  if (n == 10) return p;
  if (n < 19 || c[10] != 'T' || c[13] != ':' || c[16] != ':' || (p.hour = two_digits(c + 11)) < 0 ||
      p.hour > 23 || (p.minute = two_digits(c + 14)) < 0 || p.minute > 59 ||
      (p.second = two_digits(c + 17)) < 0 || p.second > 60)
    return std::nullopt;
  p.precision = 4;
  std::size_t pos = 19;
  if (pos < n && c[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < n && c[pos] >= '0' && c[pos] <= '9') ++pos;
    if (pos == start || pos - start > 9) return std::nullopt;
    p.fraction = s.substr(start, pos - start);
    while (!p.fraction.empty() && p.fraction.back() == '0') p.fraction.remove_suffix(1);
  }
  if (pos == n) return p;  // no zone: tolerated, see header
  if (c[pos] == 'Z' && pos + 1 == n) {
    p.has_zone = true;
    return p;
  }
  if ((c[pos] != '+' && c[pos] != '-') || n != pos + 6 || c[pos + 3] != ':') return std::nullopt;
  const int zh = two_digits(c + pos + 1), zm = two_digits(c + pos + 4);
  if (zh < 0 || zm < 0 || zm > 59 || zh > 14 || (zh == 14 && zm != 0)) return std::nullopt;
  p.has_zone = true;
  p.zone_minutes = (c[pos] == '-' ? -1 : 1) * (zh * 60 + zm);
  return p;
}

// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

}  // namespace

bool is_fhir_date_time(std::string_view s) { return parse(s).has_value(); }

namespace {

// Writes n digits of v (0 <= v < 10^n): snprintf cost more than the parse.
char* put_digits(char* out, int v, int n) {
  for (int i = n - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return out + n;
}

}  // namespace

bool append_canonical_time(std::string& out, std::string_view s) {
  auto p = parse(s);
  if (!p) return false;
  if (p->precision < 4) {
    out += s;
    return true;
  }
  // Written into one buffer and appended once: 19 characters, a fraction of
  // up to 9 digits after its point, a year of 5 and the Z at most.
  char buf[40];
  char* o = buf;
  if (p->zone_minutes == 0) {
    // In UTC already (Z, +00:00, -00:00) or without a zone: the date and
    // time are the parse's own digits, as written (most times in a record;
    // Synthea writes +00:00), so they are copied rather than rewritten.
    s.copy(o, 19);
    o += 19;
  } else {
    int y = p->year, m = p->month, d = p->day, hour = p->hour, minute = p->minute;
    std::int64_t minutes =
        (days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 24 + hour) * 60 +
        minute - p->zone_minutes;
    const std::int64_t day = (minutes >= 0 ? minutes : minutes - 1439) / 1440;
    minutes -= day * 1440;
    civil_from_days(day, y, m, d);
    hour = static_cast<int>(minutes / 60);
    minute = static_cast<int>(minutes % 60);
    // A zone can move year 1 back to year 0 or 9999 on to 10000: the digits
    // are written like %04d would (fewer than four never happen; a fifth
    // widens the field).
    if (y > 9999) o = put_digits(o, y, 5);
    else o = put_digits(o, y, 4);
    *o++ = '-';
    o = put_digits(o, m, 2);
    *o++ = '-';
    o = put_digits(o, d, 2);
    *o++ = 'T';
    o = put_digits(o, hour, 2);
    *o++ = ':';
    o = put_digits(o, minute, 2);
    *o++ = ':';
    o = put_digits(o, p->second, 2);
  }
  if (!p->fraction.empty()) {
    *o++ = '.';
    o += p->fraction.copy(o, p->fraction.size());
  }
  if (p->has_zone) *o++ = 'Z';
  out.append(buf, o);
  return true;
}

std::optional<std::string> canonical_time(std::string_view s) {
  std::string out;
  if (!append_canonical_time(out, s)) return std::nullopt;
  return out;
}

}  // namespace chartlock::fhir
