// The date the summary's rules count from: --today, or today in UTC.
#pragma once

#include <string>

#include "args.hpp"

namespace chartlock::cli {

// --today DATE (YYYY-MM-DD) when given, else today's date in UTC; UsageError
// when --today is not a date.
std::string today_option(const Args& args);

}  // namespace chartlock::cli
