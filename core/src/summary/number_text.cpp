// SPDX-License-Identifier: Apache-2.0
#include "summary/number_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace chartlock::summary {
namespace {

// Exactly representable in a double up to 1e22.
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr int kMaxPow = 22;

}  // namespace

double round_significant(double v, int digits) {
  if (!std::isfinite(v) || v == 0) return v;
  const double a = std::fabs(v);
  // Decimal exponent of the leading digit, without log10.
  int magnitude = 0;
  if (a >= 1) {
    while (magnitude < kMaxPow && a >= kPow10[magnitude + 1]) ++magnitude;
  } else {
    magnitude = -1;
    while (magnitude > -kMaxPow && a < 1.0 / kPow10[-magnitude]) --magnitude;
  }
  const int decimals = digits - 1 - magnitude;
  if (decimals > kMaxPow || decimals < -kMaxPow) return v;
  if (decimals >= 0) return std::round(v * kPow10[decimals]) / kPow10[decimals];
  return std::round(v / kPow10[-decimals]) * kPow10[-decimals];
}

std::string number_text(double v) {
  char buf[kNumberRoom];
  return std::string(buf, write_number(buf, v));
}

char* write_number(char* out, double v) {
  // Written in place: a summary writes two or three numbers per result, and
  // its JSON text copies them straight into its own buffer.
  if (!std::isfinite(v)) {
    *out = '?';
    return out + 1;
  }
  if (std::fabs(v) >= 1e12) return std::to_chars(out, out + 24, static_cast<long long>(std::llround(v))).ptr;
  // Six decimals at most, trailing zeros dropped.
  const long long scaled = std::llround(v * 1e6);
  const bool negative = scaled < 0;
  const unsigned long long u = static_cast<unsigned long long>(negative ? -scaled : scaled);
  char* at = out;
  if (negative) *at++ = '-';
  at = std::to_chars(at, out + kNumberRoom, u / 1000000ULL).ptr;
  unsigned long long frac = u % 1000000ULL;
  if (frac != 0) {
    int digits = 6;
    while (frac % 10 == 0) {
      frac /= 10;
      --digits;
    }
    *at++ = '.';
    for (int i = digits - 1; i >= 0; --i) {
      at[i] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    at += digits;
  }
  if (at - out == 2 && out[0] == '-' && out[1] == '0') {  // "-0"
    out[0] = '0';
    return out + 1;
  }
  return at;
}

double round_decimals(double v, int decimals) {
  if (!std::isfinite(v) || decimals < 0 || decimals > 6) return v;
  return std::round(v * kPow10[decimals]) / kPow10[decimals];
}

std::string display_number(double v, int decimals) {
  char buf[kNumberRoom];
  return std::string(buf, write_display_number(buf, v, decimals));
}

char* write_display_number(char* out, double v, int decimals) {
  if (!std::isfinite(v)) {
    *out = '?';
    return out + 1;
  }
  if (decimals < 0) return write_number(out, std::fabs(v) >= 100 ? std::round(v) : round_significant(v, 3));
  decimals = decimals > 6 ? 6 : decimals;
  char* end = write_number(out, round_decimals(v, decimals));
  if (decimals == 0) return end;
  // Trailing zeros are part of the reported precision ("6.0 %").
  const char* dot = static_cast<const char*>(std::memchr(out, '.', static_cast<std::size_t>(end - out)));
  int have = 0;
  if (dot == nullptr) *end++ = '.';
  else have = static_cast<int>(end - dot - 1);
  for (; have < decimals; ++have) *end++ = '0';
  return end;
}

}  // namespace chartlock::summary
