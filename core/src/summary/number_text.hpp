// Numbers for people and for JSON, the same on every platform: rounding and
// printing go through exact powers of ten and integers, never printf or locale.
#pragma once

#include <string>

namespace chartlock::summary {

// `v` rounded to `digits` significant digits.
double round_significant(double v, int digits);

// Up to 6 decimals, trailing zeros dropped: 5.55, 140, 0.03, -1.2.
std::string number_text(double v);

// For people: four significant digits, whole numbers from 1000 up
// (123.737345 → "123.7", 4.196583 → "4.197", 12345.6 → "12346").
std::string display_number(double v);

}  // namespace chartlock::summary
