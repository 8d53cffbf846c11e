// SPDX-License-Identifier: Apache-2.0
// Deterministic pseudo-random numbers. The standard distributions and
// std::hash are implementation-defined (libstdc++ and libc++ differ), so the
// generator is spelled out here and every draw is fixed-width integer
// arithmetic: one seed gives the same bytes natively and in wasm32.
//
// Callers draw at most once per expression (ternaries aside): in `f(a(), b())`
// or `a() + b()` the evaluation order is unspecified and GCC and Clang differ.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chartlock::synth {

// SplitMix64 (Steele, Lea, Flood): seeds the generators.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Independent streams per purpose (demographics, clinical course, sharing,
// each provider's ids), so that e.g. changing the overlap does not change
// who the patient is.
enum class Stream : std::uint64_t { person = 1, clinical, sharing, provider_ids = 100 };

inline std::uint64_t stream_seed(std::uint64_t seed, Stream stream, std::uint64_t index = 0) {
  std::uint64_t s = seed ^ ((static_cast<std::uint64_t>(stream) + index) * 0xD1B54A32D192ED03ull);
  return splitmix64(s);
}

// xoshiro256** (Blackman, Vigna).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : s_) word = splitmix64(seed);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n), n > 0. The modulo bias is below 2^-30 for the ranges
  // used here, far under anything visible in synthetic data.
  std::uint64_t below(std::uint64_t n) { return next() % n; }

  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // True with probability percent/100.
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }

  // Measurement noise in [-spread, spread], peaked at 0 (mean of two uniforms).
  std::int64_t noise(std::int64_t spread) {
    if (spread <= 0) return 0;
    const std::int64_t a = between(-spread, spread);
    return (a + between(-spread, spread)) / 2;
  }

  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[static_cast<std::size_t>(below(N))];
  }

  // `count` characters drawn from `alphabet`: record numbers, lot numbers.
  std::string text(std::string_view alphabet, int count) {
    std::string s;
    for (int i = 0; i < count; ++i) s += alphabet[static_cast<std::size_t>(below(alphabet.size()))];
    return s;
  }
  std::string digits(int count) { return text("0123456789", count); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace chartlock::synth
