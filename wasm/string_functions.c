// SPDX-License-Identifier: Apache-2.0
// memchr, memcmp, bcmp, memcpy, memset and strlen for the wasm module, in
// place of Emscripten 3.1.6's prebuilt musl ones (byte or 4-byte word at a
// time; memcpy calls out to JavaScript from 512 bytes). Linked as an object,
// so wasm-ld resolves every reference to these names to this file: ours,
// libc++'s (std::string, char_traits) and musl's alike. Most calls get short
// strings (JSON keys and values), so each function takes them without a
// loop. docs/performance.md, "Wasm's string functions".
//
// Memory safety: a wasm load traps only past the end of linear memory, which
// is a whole number of 64 KiB pages. A 16-byte load aligned to 16 whose first
// byte is in bounds never crosses a page, so memchr and strlen may read the
// rest of the aligned block around their bytes. Unaligned loads read only
// bytes inside the buffers, or stay inside the page of their first byte.
// (Native builds, and so ASan, keep their C library.)
#include <stddef.h>
#include <stdint.h>
#include <wasm_simd128.h>

typedef uint64_t __attribute__((__may_alias__, __aligned__(1))) u64_unaligned;
typedef uint32_t __attribute__((__may_alias__, __aligned__(1))) u32_unaligned;

// From here to the end of a 64 KiB page there are at least 16 bytes.
static inline int page_has_16(const void* p) { return ((uintptr_t)p & 0xffff) <= 0x10000 - 16; }

// Bit i set when byte i of the block equals `needle`.
static inline uint32_t matches(const void* block, v128_t needle) {
  return (uint32_t)wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(block), needle));
}

void* memchr(const void* src, int c, size_t n) {
  if (n == 0) return 0;
  const unsigned char* s = (const unsigned char*)src;
  const v128_t needle = wasm_i8x16_splat((signed char)c);
  // The aligned block holding s; bits for the bytes before s shifted out.
  const size_t skip = (uintptr_t)s & 15;
  const unsigned char* p = s - skip;
  uint32_t m = matches(p, needle) >> skip;
  if (n <= 16 - skip) {
    m &= (1u << n) - 1;
    return m ? (void*)(s + __builtin_ctz(m)) : 0;
  }
  if (m) return (void*)(s + __builtin_ctz(m));
  n -= 16 - skip;
  p += 16;
  for (; n > 16; n -= 16, p += 16) {
    m = matches(p, needle);
    if (m) return (void*)(p + __builtin_ctz(m));
  }
  m = matches(p, needle) & ((1u << n) - 1);
  return m ? (void*)(p + __builtin_ctz(m)) : 0;
}

size_t strlen(const char* str) {
  const v128_t zero = wasm_i8x16_splat(0);
  const size_t skip = (uintptr_t)str & 15;
  const char* p = str - skip;
  uint32_t m = matches(p, zero) >> skip;
  if (m) return __builtin_ctz(m);
  for (p += 16;; p += 16) {
    m = matches(p, zero);
    if (m) return (size_t)(p - str) + __builtin_ctz(m);
  }
}

// memcmp's result: the bytes at the first difference, compared unsigned.
static inline int first_difference(const unsigned char* l, const unsigned char* r, size_t differ_at) {
  return (int)l[differ_at] - (int)r[differ_at];
}

static inline uint32_t unequal(const void* l, const void* r) {
  return (uint32_t)wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(l), wasm_v128_load(r))) ^ 0xffff;
}

int memcmp(const void* left, const void* right, size_t n) {
  const unsigned char* l = (const unsigned char*)left;
  const unsigned char* r = (const unsigned char*)right;
  if (n < 16) {
    if (n == 0) return 0;
    if (page_has_16(l) && page_has_16(r)) {
      // One load each; the bytes past n are masked off.
      const uint32_t d = unequal(l, r) & ((1u << n) - 1);
      return d ? first_difference(l, r, __builtin_ctz(d)) : 0;
    }
    for (size_t i = 0; i < n; ++i) {
      if (l[i] != r[i]) return first_difference(l, r, i);
    }
    return 0;
  }
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const uint32_t d = unequal(l + i, r + i);
    if (d) return first_difference(l, r, i + __builtin_ctz(d));
  }
  if (i < n) {
    // The last 16 bytes, overlapping bytes already found equal.
    i = n - 16;
    const uint32_t d = unequal(l + i, r + i);
    if (d) return first_difference(l, r, i + __builtin_ctz(d));
  }
  return 0;
}

int bcmp(const void* left, const void* right, size_t n) { return memcmp(left, right, n); }

// From this size on, memory.copy / memory.fill (one call into the engine)
// beat the 16-byte loops (measured: docs/performance.md).
#ifndef BULK_FROM
#define BULK_FROM 512
#endif

void* memcpy(void* restrict dest, const void* restrict src, size_t n) {
  unsigned char* d = (unsigned char*)dest;
  const unsigned char* s = (const unsigned char*)src;
  if (n < 16) {
    // Two overlapping loads cover 4..15 bytes.
    if (n >= 8) {
      const uint64_t a = *(const u64_unaligned*)s, b = *(const u64_unaligned*)(s + n - 8);
      *(u64_unaligned*)d = a;
      *(u64_unaligned*)(d + n - 8) = b;
    } else if (n >= 4) {
      const uint32_t a = *(const u32_unaligned*)s, b = *(const u32_unaligned*)(s + n - 4);
      *(u32_unaligned*)d = a;
      *(u32_unaligned*)(d + n - 4) = b;
    } else if (n) {
      d[0] = s[0];
      d[n / 2] = s[n / 2];
      d[n - 1] = s[n - 1];
    }
    return dest;
  }
  if (n >= BULK_FROM) {
    __builtin_memcpy(d, s, n);  // memory.copy (-mbulk-memory on this file)
    return dest;
  }
  const v128_t last = wasm_v128_load(s + n - 16);
  for (size_t i = 0; i + 16 < n; i += 16) wasm_v128_store(d + i, wasm_v128_load(s + i));
  wasm_v128_store(d + n - 16, last);
  return dest;
}

void* memset(void* dest, int c, size_t n) {
  unsigned char* d = (unsigned char*)dest;
  if (n < 16) {
    const uint64_t v = 0x0101010101010101ull * (unsigned char)c;
    if (n >= 8) {
      *(u64_unaligned*)d = v;
      *(u64_unaligned*)(d + n - 8) = v;
    } else if (n >= 4) {
      *(u32_unaligned*)d = (uint32_t)v;
      *(u32_unaligned*)(d + n - 4) = (uint32_t)v;
    } else if (n) {
      d[0] = (unsigned char)c;
      d[n / 2] = (unsigned char)c;
      d[n - 1] = (unsigned char)c;
    }
    return dest;
  }
  if (n >= BULK_FROM) {
    __builtin_memset(d, c, n);  // memory.fill
    return dest;
  }
  const v128_t v = wasm_i8x16_splat((signed char)c);
  for (size_t i = 0; i + 16 < n; i += 16) wasm_v128_store(d + i, v);
  wasm_v128_store(d + n - 16, v);
  return dest;
}
