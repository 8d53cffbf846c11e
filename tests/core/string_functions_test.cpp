// SPDX-License-Identifier: Apache-2.0
// memchr, memcmp, memcpy, memset and strlen against what each must return,
// worked out byte by byte. The wasm build links its own versions
// (wasm/string_functions.c: SIMD blocks, short-size paths, over-reads inside
// aligned blocks); natively the same checks run against the system's C
// library, the reference. Every length 0..300 and every alignment 0..15 of
// each pointer reaches each path and the seams between them.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

// Called through volatile pointers: the compiler can neither expand nor fold
// them, so the library's functions are the ones tested.
const void* (*volatile memchr_fn)(const void*, int, std::size_t) = &std::memchr;
int (*volatile memcmp_fn)(const void*, const void*, std::size_t) = &std::memcmp;
void* (*volatile memcpy_fn)(void*, const void*, std::size_t) = &std::memcpy;
void* (*volatile memset_fn)(void*, int, std::size_t) = &std::memset;
std::size_t (*volatile strlen_fn)(const char*) = &std::strlen;

constexpr std::size_t max_length = 300;
constexpr std::size_t margin = 48;  // room before and after, checked untouched

// Bytes of every kind, half of them >= 0x80, none equal to `avoid`.
unsigned char filler(std::size_t i, unsigned char avoid) {
  const auto b = static_cast<unsigned char>(i * 151 + 29);
  return b == avoid ? static_cast<unsigned char>(b ^ 0x41) : b;
}

void fill(unsigned char* p, std::size_t n, unsigned char avoid, std::size_t seed = 0) {
  for (std::size_t i = 0; i < n; ++i) p[i] = filler(i + seed, avoid);
}

int sign(int v) { return (v > 0) - (v < 0); }

}  // namespace

TEST_CASE("memchr finds the first match within n bytes, and none outside", "[string_functions]") {
  std::vector<unsigned char> buffer(max_length + 2 * margin + 16);
  std::size_t failures = 0;
  for (const int needle_value : {0x00, 0x22, 0xE9}) {
    const auto needle = static_cast<unsigned char>(needle_value);
    // memchr compares as unsigned char: these all mean `needle`.
    const int as_int[] = {needle, static_cast<signed char>(needle), needle + 0x100};
    for (std::size_t align = 0; align < 16; ++align) {
      unsigned char* s = buffer.data() + margin + align;
      for (std::size_t n = 0; n <= max_length; ++n) {
        fill(buffer.data(), buffer.size(), needle);
        // Matches just before s and just past n must not be found.
        std::memset(s - 16, needle, 16);
        std::memset(s + n, needle, 16);
        failures += memchr_fn(s, as_int[n % 3], n) != nullptr;
        for (std::size_t at = 0; at < n; ++at) {
          s[at] = needle;
          if (at + 1 < n) s[n - 1] = needle;  // a later match too
          const void* want = s + at;
          failures += memchr_fn(s, as_int[at % 3], n) != want;
          s[at] = filler(margin + align + at, needle);
          if (at + 1 < n) s[n - 1] = filler(margin + align + n - 1, needle);
        }
      }
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("memcmp orders by the first difference, bytes unsigned", "[string_functions]") {
  std::vector<unsigned char> left(max_length + 2 * margin + 16);
  std::vector<unsigned char> right(left.size());
  std::size_t failures = 0;
  for (std::size_t align_left = 0; align_left < 16; ++align_left) {
    for (std::size_t align_right = 0; align_right < 16; ++align_right) {
      unsigned char* l = left.data() + margin + align_left;
      unsigned char* r = right.data() + margin + align_right;
      for (std::size_t n = 0; n <= max_length; ++n) {
        // Equal within n, different just before and just past it.
        fill(left.data(), left.size(), 0);
        fill(right.data(), right.size(), 0, 7);
        std::memcpy(r, l, n);
        failures += memcmp_fn(l, r, n) != 0;
        for (std::size_t at = 0; at < n; ++at) {
          // 0x90 > 0x10 unsigned (a signed compare would say less).
          l[at] = 0x90;
          r[at] = 0x10;
          // A later difference the other way must not count.
          if (at + 1 < n) {
            l[n - 1] = 0x00;
            r[n - 1] = 0xFF;
          }
          failures += sign(memcmp_fn(l, r, n)) != 1;
          failures += sign(memcmp_fn(r, l, n)) != -1;
          l[at] = r[at] = 0x42;
          if (at + 1 < n) l[n - 1] = r[n - 1] = 0x42;
        }
      }
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("memcpy copies n bytes and nothing around them", "[string_functions]") {
  std::vector<unsigned char> source(80000);
  std::vector<unsigned char> target(source.size());
  fill(source.data(), source.size(), 0x5A);
  std::size_t failures = 0;
  const auto check = [&](std::size_t from, std::size_t to, std::size_t n) {
    std::memset(target.data() + to - margin, 0x5A, n + 2 * margin);
    failures += memcpy_fn(target.data() + to, source.data() + from, n) != target.data() + to;
    for (std::size_t i = 0; i < n; ++i) failures += target[to + i] != source[from + i];
    for (std::size_t i = 1; i <= margin; ++i) {
      failures += target[to - i] != 0x5A;
      failures += target[to + n + i - 1] != 0x5A;
    }
  };
  for (std::size_t align_from = 0; align_from < 16; ++align_from) {
    for (std::size_t align_to = 0; align_to < 16; ++align_to) {
      for (std::size_t n = 0; n <= max_length; ++n) check(margin + align_from, margin + align_to, n);
      // The sizes copied in bulk.
      for (const std::size_t n : {511, 512, 513, 1000, 4099, 70001}) check(margin + align_from, margin + align_to, n);
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("memset writes n bytes and nothing around them", "[string_functions]") {
  std::vector<unsigned char> buffer(80000);
  std::size_t failures = 0;
  const auto check = [&](std::size_t at, std::size_t n, int value) {
    const auto byte = static_cast<unsigned char>(value);
    fill(buffer.data() + at - margin, n + 2 * margin, byte);
    failures += memset_fn(buffer.data() + at, value, n) != buffer.data() + at;
    for (std::size_t i = 0; i < n; ++i) failures += buffer[at + i] != byte;
    for (std::size_t i = 1; i <= margin; ++i) {
      failures += buffer[at - i] == byte;
      failures += buffer[at + n + i - 1] == byte;
    }
  };
  // memset stores (unsigned char)value.
  for (const int value : {0, 0xA5, -1, 0x1A5}) {
    for (std::size_t align = 0; align < 16; ++align) {
      for (std::size_t n = 0; n <= max_length; ++n) check(margin + align, n, value);
      for (const std::size_t n : {511, 512, 513, 1000, 4099, 70001}) check(margin + align, n, value);
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("strlen counts up to the first zero byte", "[string_functions]") {
  std::vector<unsigned char> buffer(max_length + 2 * margin + 16);
  std::size_t failures = 0;
  for (std::size_t align = 0; align < 16; ++align) {
    unsigned char* s = buffer.data() + margin + align;
    for (std::size_t n = 0; n <= max_length; ++n) {
      fill(buffer.data(), buffer.size(), 0);
      std::memset(s - 16, 0, 16);  // zeros before the string must not count
      s[n] = 0;
      failures += strlen_fn(reinterpret_cast<const char*>(s)) != n;
    }
  }
  CHECK(failures == 0);
}

#ifdef __EMSCRIPTEN__
extern "C" void* sbrk(std::intptr_t increment);

// A load past the end of linear memory traps. Buffers that end on its last
// byte: the functions may read around their bytes only where that is safe.
TEST_CASE("the string functions read nothing past the end of linear memory", "[string_functions]") {
  constexpr std::uintptr_t page = 65536;
  const auto memory_end = [] { return static_cast<std::uintptr_t>(__builtin_wasm_memory_size(0)) * page; };
  // Take everything from the break to the end of memory (growing it by a
  // page if little is left): nothing else can use those bytes now.
  auto brk = reinterpret_cast<std::uintptr_t>(sbrk(0));
  if (memory_end() - brk < 2 * max_length + 64) {
    sbrk(static_cast<std::intptr_t>(memory_end() - brk));
    // The new page's start (sbrk answers the old break): at least a page
    // below the end, however much more the memory grew by.
    brk = reinterpret_cast<std::uintptr_t>(sbrk(static_cast<std::intptr_t>(page)));
  }
  sbrk(static_cast<std::intptr_t>(memory_end() - brk));
  const std::uintptr_t end_address = memory_end();
  REQUIRE(reinterpret_cast<std::uintptr_t>(sbrk(0)) == end_address);
  auto* const end = reinterpret_cast<unsigned char*>(end_address);
  // A second buffer in the claimed bytes, away from the end.
  unsigned char* const other = reinterpret_cast<unsigned char*>(brk);

  std::size_t failures = 0;
  for (std::size_t n = 0; n <= max_length; ++n) {
    unsigned char* const s = end - n;
    fill(s, n, 0xE9);
    failures += memchr_fn(s, 0xE9, n) != nullptr;
    if (n) {
      end[-1] = 0xE9;
      failures += memchr_fn(s, 0xE9, n) != end - 1;
    }

    if (n) {
      fill(s, n, 0);
      end[-1] = 0;
      failures += strlen_fn(reinterpret_cast<const char*>(s)) != n - 1;
    }

    fill(s, n, 0);
    std::memcpy(other, s, n);
    failures += memcmp_fn(s, other, n) != 0;
    failures += memcmp_fn(other, s, n) != 0;
    failures += memcmp_fn(s, s, n) != 0;
    if (n) {
      end[-1] = 0xF0;
      other[n - 1] = 0x0F;
      failures += sign(memcmp_fn(s, other, n)) != 1;
      failures += sign(memcmp_fn(other, s, n)) != -1;
    }

    fill(other, n, 0, 3);
    memcpy_fn(s, other, n);
    failures += std::memcmp(s, other, n) != 0;
    fill(other, n, 0, 5);
    memcpy_fn(other, s, n);
    failures += std::memcmp(s, other, n) != 0;

    memset_fn(s, 0x77, n);
    for (std::size_t i = 0; i < n; ++i) failures += s[i] != 0x77;
  }
  CHECK(memory_end() == end_address);
  CHECK(failures == 0);
}
#endif
