// SPDX-License-Identifier: Apache-2.0
#include "civil_time.hpp"

namespace chartlock::synth {

std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  const std::int64_t y = year - (month <= 2 ? 1 : 0);
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

namespace {

void put(Stamp& s, std::int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    s.text[s.size + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  s.size += static_cast<std::size_t>(width);
}

void put(Stamp& s, char c) { s.text[s.size++] = c; }

// YYYY-MM-DDThh:mm:ss of t shifted by offset minutes.
void put_local(Stamp& s, std::int64_t t, int offset_minutes, bool with_time) {
  const std::int64_t local = t + offset_minutes * kMinute;
  const CivilDate d = civil_date(local);
  put(s, d.year, 4);
  put(s, '-');
  put(s, d.month, 2);
  put(s, '-');
  put(s, d.day, 2);
  if (!with_time) return;
  const std::int64_t secs = local - floor_div(local, kDay) * kDay;
  put(s, 'T');
  put(s, secs / kHour, 2);
  put(s, ':');
  put(s, secs / kMinute % 60, 2);
  put(s, ':');
  put(s, secs % 60, 2);
}

void put_offset(Stamp& s, const TimeStyle& style) {
  if (style.offset_minutes == 0 && style.zulu) return put(s, 'Z');
  const int m = style.offset_minutes < 0 ? -style.offset_minutes : style.offset_minutes;
  put(s, style.offset_minutes < 0 ? '-' : '+');
  put(s, m / 60, 2);
  put(s, ':');
  put(s, m % 60, 2);
}

}  // namespace

Stamp format_date(std::int64_t t, const TimeStyle& style) {
  Stamp s;
  put_local(s, t, style.offset_minutes, false);
  return s;
}

Stamp format_date_time(std::int64_t t, const TimeStyle& style) {
  Stamp s;
  put_local(s, t, style.offset_minutes, true);
  put_offset(s, style);
  return s;
}

Stamp format_instant(std::int64_t t, const TimeStyle& style) {
  Stamp s;
  put_local(s, t, 0, true);
  put_offset(s, TimeStyle{0, style.zulu});
  return s;
}

}  // namespace chartlock::synth
