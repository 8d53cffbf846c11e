// SPDX-License-Identifier: Apache-2.0
// Numbers for people and for JSON, the same on every platform: rounding and
// printing go through exact powers of ten and integers, never printf or locale.
#pragma once

#include <cstddef>
#include <string>

namespace chartlock::summary {

// `v` rounded to `digits` significant digits.
double round_significant(double v, int digits);

// Room write_number and write_display_number need at most.
constexpr std::size_t kNumberRoom = 32;

// Up to 6 decimals, trailing zeros dropped: 5.55, 140, 0.03, -1.2.
std::string number_text(double v);
// The same text written at `out` (kNumberRoom bytes); returns its end.
char* write_number(char* out, double v);

// `v` rounded to `decimals` places (0 to 6).
double round_decimals(double v, int decimals);

// For people, at the precision the test is reported in: `decimals` places
// when known (0.9 at 2 → "0.90", 84.68 at 0 → "85"); else (-1) three
// significant digits, whole numbers from 100 up (4.196583 → "4.2",
// 123.7 → "124", 0.03456 → "0.0346").
std::string display_number(double v, int decimals = -1);
// The same text written at `out` (kNumberRoom bytes); returns its end.
char* write_display_number(char* out, double v, int decimals = -1);

}  // namespace chartlock::summary
