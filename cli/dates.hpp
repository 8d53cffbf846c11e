// SPDX-License-Identifier: Apache-2.0
// The date the summary's rules count from: --today, or today in UTC.
#pragma once

#include <cstdint>
#include <string>

#include "args.hpp"

namespace chartlock::cli {

// --today DATE (YYYY-MM-DD) when given, else today's date in UTC; UsageError
// when --today is not a date.
std::string today_option(const Args& args);

// Seconds since 1970-01-01T00:00:00Z at the start of a YYYY-MM-DD day (UTC);
// UsageError naming `option` when `day` is not a valid date.
std::int64_t day_start_utc(const std::string& option, const std::string& day);

}  // namespace chartlock::cli
