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

}  // namespace chartlock::cli
