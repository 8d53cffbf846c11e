// SPDX-License-Identifier: Apache-2.0
#include "dates.hpp"

#include <ctime>

namespace chartlock::cli {

namespace {

std::string today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[11];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

bool is_day(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

}  // namespace

std::string today_option(const Args& args) {
  std::string today = args.get("--today").value_or(today_utc());
  if (!is_day(today)) throw UsageError("--today needs a date written YYYY-MM-DD");
  return today;
}

std::int64_t day_start_utc(const std::string& option, const std::string& day) {
  if (!is_day(day)) throw UsageError(option + " needs a date written YYYY-MM-DD");
  const int y0 = std::stoi(day.substr(0, 4)), m = std::stoi(day.substr(5, 2)), d = std::stoi(day.substr(8, 2));
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y0 % 4 == 0 && y0 % 100 != 0) || y0 % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) {
    throw UsageError(option + ": " + day + " is not a date");
  }
  // Days from civil (proleptic Gregorian), after H. Hinnant's algorithm.
  const int y = y0 - (m <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (static_cast<std::int64_t>(era) * 146097 + doe - 719468) * 86400;
}

}  // namespace chartlock::cli
