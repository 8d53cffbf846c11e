// SPDX-License-Identifier: Apache-2.0
#include "local_id.hpp"

namespace chartlock::synth {

LocalId random_uuid(Rng& rng) {
  LocalId id;
  id.hi = rng.next();
  id.lo = rng.next();
  id.hi = (id.hi & ~0xF000ull) | 0x4000ull;                            // version 4
  id.lo = (id.lo & ~(0xC000ull << 48)) | (0x8000ull << 48);           // variant 10xx
  return id;
}

IdText id_text(const LocalId& id) {
  static constexpr char kHex[] = "0123456789abcdef";
  IdText out;
  if (id.hi == 0) {
    char digits[20];
    std::size_t n = 0;
    std::uint64_t v = id.lo;
    do {
      digits[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n > 0) out.data[out.size++] = digits[--n];
    return out;
  }
  // 8-4-4-4-12 hex digits.
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out.data[out.size++] = '-';
    const std::uint64_t word = i < 16 ? id.hi : id.lo;
    const int shift = 60 - 4 * (i % 16);
    out.data[out.size++] = kHex[(word >> shift) & 0xF];
  }
  return out;
}

}  // namespace chartlock::synth
