// SPDX-License-Identifier: Apache-2.0
#include "json/array_member_blocks.hpp"

#include <cstring>

#include "json/text_scanner.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace chartlock::json::blocks {

namespace {

// '[' is 0x5B and '{' 0x7B, ']' 0x5D and '}' 0x7D: with bit 5 set, each
// pair is one byte value, and no other byte maps to it.
constexpr unsigned char fold = 0x20;

}  // namespace

Marks classify_bytes(const char* block) {
  Marks m;
  for (unsigned i = 0; i < 64; ++i) {
    const auto c = static_cast<unsigned char>(block[i]);
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (c == '"') m.quote |= bit;
    if (c == '\\') m.backslash |= bit;
    if ((c | fold) == '{' || (c | fold) == '}') m.bracket |= bit;
  }
  return m;
}

namespace {

#if defined(__SSE2__) || defined(__wasm_simd128__)
// Bit i set when byte i (or an earlier one) opens a string not yet closed:
// each bit the XOR of itself and every lower bit.
std::uint64_t prefix_xor(std::uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

// Four 16-bit masks, one per 16 bytes, as one 64-bit mask.
inline std::uint64_t join(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d) {
  return std::uint64_t{a} | std::uint64_t{b} << 16 | std::uint64_t{c} << 32 | std::uint64_t{d} << 48;
}
#endif

// The few vector operations the classifier needs, on 16 bytes.
#if defined(__SSE2__)
using Vec = __m128i;
inline Vec splat(char c) { return _mm_set1_epi8(c); }
inline Vec load(const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
inline Vec either(Vec a, Vec b) { return _mm_or_si128(a, b); }
inline Vec equal(Vec a, Vec b) { return _mm_cmpeq_epi8(a, b); }
inline std::uint32_t bits(Vec eq) { return static_cast<std::uint16_t>(_mm_movemask_epi8(eq)); }
#elif defined(__wasm_simd128__)
using Vec = v128_t;
inline Vec splat(char c) { return wasm_i8x16_splat(c); }
inline Vec load(const char* p) { return wasm_v128_load(p); }
inline Vec either(Vec a, Vec b) { return wasm_v128_or(a, b); }
inline Vec equal(Vec a, Vec b) { return wasm_i8x16_eq(a, b); }
inline std::uint32_t bits(Vec eq) { return wasm_i8x16_bitmask(eq); }
#endif

#if defined(__SSE2__) || defined(__wasm_simd128__)
inline Marks classify_block(const char* block) {
  const Vec quote = splat('"');
  const Vec backslash = splat('\\');
  const Vec open = splat('{');
  const Vec close = splat('}');
  const Vec bit5 = splat(static_cast<char>(fold));
  Vec v[4];
  std::uint32_t q[4], br[4];
  Vec any_backslash = splat(0);  // no byte marked
  for (unsigned i = 0; i < 4; ++i) {
    v[i] = load(block + 16 * i);
    const Vec folded = either(v[i], bit5);
    q[i] = bits(equal(v[i], quote));
    br[i] = bits(either(equal(folded, open), equal(folded, close)));
    any_backslash = either(any_backslash, equal(v[i], backslash));
  }
  Marks m;
  m.quote = join(q[0], q[1], q[2], q[3]);
  m.bracket = join(br[0], br[1], br[2], br[3]);
  // Backslashes are rare (none in the bench's Bundles): their mask only
  // when there is one.
  if (bits(any_backslash)) {
    m.backslash = join(bits(equal(v[0], backslash)), bits(equal(v[1], backslash)), bits(equal(v[2], backslash)),
                       bits(equal(v[3], backslash)));
  }
  return m;
}
#else
inline Marks classify_block(const char* block) { return classify_bytes(block); }
#endif

// Scanner's answer in container_size's terms.
std::size_t scanned_size(std::string_view text) {
  Scanner s(text);
  return s.skip_value() ? static_cast<std::size_t>(s.at() - text.data()) : 0;
}

}  // namespace

Marks classify(const char* block) { return classify_block(block); }

bool has_block_scan() {
#if defined(__SSE2__) || defined(__wasm_simd128__)
  return true;
#else
  return false;
#endif
}

std::size_t container_size(std::string_view text) {
#if !defined(__SSE2__) && !defined(__wasm_simd128__)
  // A byte at a time, classifying a block costs more than the byte scan
  // (callgrind, 10 MB patient: 4.2× Scanner's instructions): keep that.
  return scanned_size(text);
#else
  const std::size_t n = text.size();
  std::uint64_t escape_carry = 0;  // 1: the next block's first byte is escaped
  std::uint64_t string_carry = 0;  // all ones: the next block starts inside a string
  std::size_t depth = 0;
  for (std::size_t pos = 0; pos < n; pos += 64) {
    Marks m;
    if (n - pos >= 64) {
      m = classify_block(text.data() + pos);
    } else {
      // The text's last bytes, padded with spaces, which mark nothing.
      char last[64];
      std::memset(last, ' ', sizeof last);
      std::memcpy(last, text.data() + pos, n - pos);
      m = classify_block(last);
    }
    // Which bytes a backslash escapes: in a run of backslashes every second
    // one, so the byte after an odd run (simdjson's find_escaped, the run's
    // parity read from where it starts; a run may go on from the block
    // before).
    std::uint64_t escaped = 0;
    if (m.backslash || escape_carry) {
      constexpr std::uint64_t even = 0x5555555555555555ULL;
      const std::uint64_t backslash = m.backslash & ~escape_carry;
      const std::uint64_t follows = backslash << 1 | escape_carry;
      const std::uint64_t odd_starts = backslash & ~even & ~follows;
      const std::uint64_t sum = odd_starts + backslash;
      escape_carry = sum < odd_starts ? 1 : 0;
      escaped = (even ^ (sum << 1)) & follows;
    }
    const std::uint64_t in_string = prefix_xor(m.quote & ~escaped) ^ string_carry;
    string_carry = static_cast<std::uint64_t>(static_cast<std::int64_t>(in_string) >> 63);
    // A backslash outside any string escapes nothing to Scanner (it is text
    // no parse accepts): the rule above would differ from there on, so such
    // a container is measured as Scanner does, byte by byte.
    if (m.backslash & ~in_string) return scanned_size(text);
    // Brackets are few (one in 30 bytes): each is looked at.
    for (std::uint64_t marks = m.bracket & ~in_string; marks; marks &= marks - 1) {
      const std::size_t at = pos + static_cast<std::size_t>(__builtin_ctzll(marks));
      if (text[at] & 2) {
        ++depth;
      } else if (--depth == 0) {
        return at + 1;
      }
    }
  }
  return 0;  // the text ends inside the container (or a string in it)
#endif
}

}  // namespace chartlock::json::blocks
