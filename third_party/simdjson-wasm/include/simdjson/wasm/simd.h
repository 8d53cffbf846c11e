// SPDX-License-Identifier: Apache-2.0
// simdjson "wasm" kernel (WebAssembly SIMD128) for Chartlock's wasm build, written
// after simdjson 3.0.1's arm64 (NEON) kernel, of which it is a derived work:
// simdjson is Copyright 2018-2023 The simdjson authors, under the Apache License,
// Version 2.0 (its source package's LICENSE). See third_party/simdjson-wasm/README.md.
#ifndef SIMDJSON_WASM_SIMD_H
#define SIMDJSON_WASM_SIMD_H

#include "simdjson/base.h"
#include "simdjson/internal/simdprune_tables.h"
#include "simdjson/wasm/bitmanipulation.h"
#include <type_traits>

namespace simdjson {
namespace SIMDJSON_IMPLEMENTATION {
namespace {
namespace simd {

  // Every type below wraps one v128_t. The semantics follow the arm64
  // kernel's NEON ones where they differ from x64's: i8x16.swizzle, like
  // vqtbl1q_u8, gives 0 for an index of 16 or more (pshufb looks at the low
  // nibble), and comparisons give all ones per true byte.

  template<typename T>
  struct simd8;

  //
  // Base class of simd8<uint8_t> and simd8<bool>, both of which use v128_t internally.
  //
  template<typename T, typename Mask=simd8<bool>>
  struct base_u8 {
    v128_t value;
    static const int SIZE = sizeof(value);

    // Conversion from/to SIMD register
    simdjson_inline base_u8(const v128_t _value) : value(_value) {}
    simdjson_inline operator const v128_t&() const { return this->value; }
    simdjson_inline operator v128_t&() { return this->value; }

    // Bit operations
    simdjson_inline simd8<T> operator|(const simd8<T> other) const { return wasm_v128_or(*this, other); }
    simdjson_inline simd8<T> operator&(const simd8<T> other) const { return wasm_v128_and(*this, other); }
    simdjson_inline simd8<T> operator^(const simd8<T> other) const { return wasm_v128_xor(*this, other); }
    // this & ~other (NEON's vbicq_u8)
    simdjson_inline simd8<T> bit_andnot(const simd8<T> other) const { return wasm_v128_andnot(*this, other); }
    simdjson_inline simd8<T> operator~() const { return wasm_v128_not(*this); }
    simdjson_inline simd8<T>& operator|=(const simd8<T> other) { auto this_cast = static_cast<simd8<T>*>(this); *this_cast = *this_cast | other; return *this_cast; }
    simdjson_inline simd8<T>& operator&=(const simd8<T> other) { auto this_cast = static_cast<simd8<T>*>(this); *this_cast = *this_cast & other; return *this_cast; }
    simdjson_inline simd8<T>& operator^=(const simd8<T> other) { auto this_cast = static_cast<simd8<T>*>(this); *this_cast = *this_cast ^ other; return *this_cast; }

    friend simdjson_inline Mask operator==(const simd8<T> lhs, const simd8<T> rhs) { return wasm_i8x16_eq(lhs, rhs); }

    // The last N bytes of prev_chunk followed by the first 16 - N of this
    // (NEON's vextq_u8(prev_chunk, *this, 16 - N)).
    template<int N=1>
    simdjson_inline simd8<T> prev(const simd8<T> prev_chunk) const {
      static_assert(N >= 1 && N <= 15, "prev<N> shifts by 1 to 15 bytes");
      return wasm_i8x16_shuffle(prev_chunk, *this,
        16 - N, 17 - N, 18 - N, 19 - N, 20 - N, 21 - N, 22 - N, 23 - N,
        24 - N, 25 - N, 26 - N, 27 - N, 28 - N, 29 - N, 30 - N, 31 - N);
    }
  };

  // SIMD byte mask type (returned by things like eq and gt)
  template<>
  struct simd8<bool>: base_u8<bool> {
    typedef uint16_t bitmask_t;
    typedef uint32_t bitmask2_t;

    static simdjson_inline simd8<bool> splat(bool _value) { return wasm_i8x16_splat(int8_t(-(!!_value))); }

    simdjson_inline simd8(const v128_t _value) : base_u8<bool>(_value) {}
    // False constructor
    simdjson_inline simd8() : simd8(wasm_i8x16_splat(0)) {}
    // Splat constructor
    simdjson_inline simd8(bool _value) : simd8(splat(_value)) {}

    // i8x16.bitmask: the top bit of each byte, one bit per byte (x64's pmovmskb).
    simdjson_inline uint32_t to_bitmask() const { return wasm_i8x16_bitmask(*this); }
    simdjson_inline bool any() const { return wasm_v128_any_true(*this); }
  };

  // Unsigned bytes
  template<>
  struct simd8<uint8_t>: base_u8<uint8_t> {
    static simdjson_inline v128_t splat(uint8_t _value) { return wasm_u8x16_splat(_value); }
    static simdjson_inline v128_t zero() { return wasm_i8x16_splat(0); }
    static simdjson_inline v128_t load(const uint8_t* values) { return wasm_v128_load(values); }

    simdjson_inline simd8(const v128_t _value) : base_u8<uint8_t>(_value) {}
    // Zero constructor
    simdjson_inline simd8() : simd8(zero()) {}
    // Array constructor
    simdjson_inline simd8(const uint8_t values[16]) : simd8(load(values)) {}
    // Splat constructor
    simdjson_inline simd8(uint8_t _value) : simd8(splat(_value)) {}
    // Member-by-member initialization
    simdjson_inline simd8(
      uint8_t v0,  uint8_t v1,  uint8_t v2,  uint8_t v3,  uint8_t v4,  uint8_t v5,  uint8_t v6,  uint8_t v7,
      uint8_t v8,  uint8_t v9,  uint8_t v10, uint8_t v11, uint8_t v12, uint8_t v13, uint8_t v14, uint8_t v15
    ) : simd8(wasm_u8x16_make(
      v0, v1, v2, v3, v4, v5, v6, v7,
      v8, v9, v10,v11,v12,v13,v14,v15
    )) {}

    // Repeat 16 values as many times as necessary (usually for lookup tables)
    simdjson_inline static simd8<uint8_t> repeat_16(
      uint8_t v0,  uint8_t v1,  uint8_t v2,  uint8_t v3,  uint8_t v4,  uint8_t v5,  uint8_t v6,  uint8_t v7,
      uint8_t v8,  uint8_t v9,  uint8_t v10, uint8_t v11, uint8_t v12, uint8_t v13, uint8_t v14, uint8_t v15
    ) {
      return simd8<uint8_t>(
        v0, v1, v2, v3, v4, v5, v6, v7,
        v8, v9, v10,v11,v12,v13,v14,v15
      );
    }

    // Store to array
    simdjson_inline void store(uint8_t dst[16]) const { wasm_v128_store(dst, *this); }

    // Saturated math
    simdjson_inline simd8<uint8_t> saturating_add(const simd8<uint8_t> other) const { return wasm_u8x16_add_sat(*this, other); }
    simdjson_inline simd8<uint8_t> saturating_sub(const simd8<uint8_t> other) const { return wasm_u8x16_sub_sat(*this, other); }

    // Addition/subtraction are the same for signed and unsigned
    simdjson_inline simd8<uint8_t> operator+(const simd8<uint8_t> other) const { return wasm_i8x16_add(*this, other); }
    simdjson_inline simd8<uint8_t> operator-(const simd8<uint8_t> other) const { return wasm_i8x16_sub(*this, other); }
    simdjson_inline simd8<uint8_t>& operator+=(const simd8<uint8_t> other) { *this = *this + other; return *this; }
    simdjson_inline simd8<uint8_t>& operator-=(const simd8<uint8_t> other) { *this = *this - other; return *this; }

    // Order-specific operations. wasm has no horizontal max/min (NEON's
    // vmaxvq_u8): fold the register onto itself four times.
    simdjson_inline uint8_t max_val() const {
      v128_t m = wasm_u8x16_max(*this, wasm_i64x2_shuffle(value, value, 1, 0));
      m = wasm_u8x16_max(m, wasm_i32x4_shuffle(m, m, 1, 0, 3, 2));
      m = wasm_u8x16_max(m, wasm_i16x8_shuffle(m, m, 1, 0, 3, 2, 5, 4, 7, 6));
      m = wasm_u8x16_max(m, wasm_u16x8_shr(m, 8));
      return wasm_u8x16_extract_lane(m, 0);
    }
    simdjson_inline uint8_t min_val() const {
      v128_t m = wasm_u8x16_min(*this, wasm_i64x2_shuffle(value, value, 1, 0));
      m = wasm_u8x16_min(m, wasm_i32x4_shuffle(m, m, 1, 0, 3, 2));
      m = wasm_u8x16_min(m, wasm_i16x8_shuffle(m, m, 1, 0, 3, 2, 5, 4, 7, 6));
      m = wasm_u8x16_min(m, wasm_u16x8_shr(m, 8));
      return wasm_u8x16_extract_lane(m, 0);
    }
    simdjson_inline simd8<uint8_t> max_val(const simd8<uint8_t> other) const { return wasm_u8x16_max(*this, other); }
    simdjson_inline simd8<uint8_t> min_val(const simd8<uint8_t> other) const { return wasm_u8x16_min(*this, other); }
    simdjson_inline simd8<bool> operator<=(const simd8<uint8_t> other) const { return wasm_u8x16_le(*this, other); }
    simdjson_inline simd8<bool> operator>=(const simd8<uint8_t> other) const { return wasm_u8x16_ge(*this, other); }
    simdjson_inline simd8<bool> operator<(const simd8<uint8_t> other) const { return wasm_u8x16_lt(*this, other); }
    simdjson_inline simd8<bool> operator>(const simd8<uint8_t> other) const { return wasm_u8x16_gt(*this, other); }
    // Same as >, but instead of guaranteeing all 1's == true, false = 0 and true = nonzero. Here, all 1's.
    simdjson_inline simd8<uint8_t> gt_bits(const simd8<uint8_t> other) const { return simd8<uint8_t>(*this > other); }
    // Same as <, but instead of guaranteeing all 1's == true, false = 0 and true = nonzero. Here, all 1's.
    simdjson_inline simd8<uint8_t> lt_bits(const simd8<uint8_t> other) const { return simd8<uint8_t>(*this < other); }

    // Bit-specific operations
    // (this & bits) != 0 per byte (NEON's vtstq_u8)
    simdjson_inline simd8<bool> any_bits_set(simd8<uint8_t> bits) const { return wasm_i8x16_ne(wasm_v128_and(*this, bits), wasm_i8x16_splat(0)); }
    simdjson_inline bool any_bits_set_anywhere() const { return wasm_v128_any_true(*this); }
    simdjson_inline bool any_bits_set_anywhere(simd8<uint8_t> bits) const { return (*this & bits).any_bits_set_anywhere(); }
    template<int N>
    simdjson_inline simd8<uint8_t> shr() const { return wasm_u8x16_shr(*this, N); }
    template<int N>
    simdjson_inline simd8<uint8_t> shl() const { return wasm_i8x16_shl(*this, N); }

    // Perform a lookup assuming the value is between 0 and 16 (undefined behavior for out of range values)
    template<typename L>
    simdjson_inline simd8<L> lookup_16(simd8<L> lookup_table) const {
      return lookup_table.apply_lookup_16_to(*this);
    }

    // Copies to 'output" all bytes corresponding to a 0 in the mask (interpreted as a bitset).
    // Passing a 0 value for mask would be equivalent to writing out every byte to output.
    // Only the first 16 - count_ones(mask) bytes of the result are significant but 16 bytes
    // get written.
    template<typename L>
    simdjson_inline void compress(uint16_t mask, L * output) const {
      using internal::thintable_epi8;
      using internal::BitsSetTable256mul2;
      using internal::pshufb_combine_table;
      // As in the arm64 kernel: two 8-byte halves, each pruned by a table
      // of byte indices, then joined by a second table.
      uint8_t mask1 = uint8_t(mask); // least significant 8 bits
      uint8_t mask2 = uint8_t(mask >> 8); // most significant 8 bits
      v128_t shufmask = wasm_u64x2_make(thintable_epi8[mask1], thintable_epi8[mask2]);
      // we increment by 0x08 the second half of the mask
      shufmask = wasm_i8x16_add(shufmask, wasm_i8x16_make(0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8, 8, 8, 8, 8));
      // this is the version "nearly pruned"
      v128_t pruned = wasm_i8x16_swizzle(*this, shufmask);
      // we still need to put the two halves together.
      // we compute the popcount of the first half:
      int pop1 = BitsSetTable256mul2[mask1];
      // then load the corresponding mask, what it does is to write
      // only the first pop1 bytes from the first 8 bytes, and then
      // it fills in with the bytes from the second 8 bytes + some filling
      // at the end.
      v128_t compactmask = wasm_v128_load(reinterpret_cast<const uint8_t *>(pshufb_combine_table + pop1 * 8));
      v128_t answer = wasm_i8x16_swizzle(pruned, compactmask);
      wasm_v128_store(reinterpret_cast<uint8_t*>(output), answer);
    }

    // Copies all bytes corresponding to a 0 in the low half of the mask (interpreted as a
    // bitset) to output1, then those corresponding to a 0 in the high half to output2.
    template<typename L>
    simdjson_inline void compress_halves(uint16_t mask, L *output1, L *output2) const {
      using internal::thintable_epi8;
      uint8_t mask1 = uint8_t(mask); // least significant 8 bits
      uint8_t mask2 = uint8_t(mask >> 8); // most significant 8 bits
      // both halves' indices in one register; the second half's get + 8
      v128_t compactmask = wasm_u64x2_make(thintable_epi8[mask1], thintable_epi8[mask2]);
      compactmask = wasm_i8x16_add(compactmask, wasm_i8x16_make(0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8, 8, 8, 8, 8));
      v128_t pruned = wasm_i8x16_swizzle(*this, compactmask);
      // store each result (with the second store possibly overlapping the first)
      uint64_t lo = wasm_u64x2_extract_lane(pruned, 0);
      uint64_t hi = wasm_u64x2_extract_lane(pruned, 1);
      std::memcpy(output1, &lo, sizeof(lo));
      std::memcpy(output2, &hi, sizeof(hi));
    }

    template<typename L>
    simdjson_inline simd8<L> lookup_16(
        L replace0,  L replace1,  L replace2,  L replace3,
        L replace4,  L replace5,  L replace6,  L replace7,
        L replace8,  L replace9,  L replace10, L replace11,
        L replace12, L replace13, L replace14, L replace15) const {
      return lookup_16(simd8<L>::repeat_16(
        replace0,  replace1,  replace2,  replace3,
        replace4,  replace5,  replace6,  replace7,
        replace8,  replace9,  replace10, replace11,
        replace12, replace13, replace14, replace15
      ));
    }

    template<typename T>
    simdjson_inline simd8<uint8_t> apply_lookup_16_to(const simd8<T> original) {
      return wasm_i8x16_swizzle(*this, simd8<uint8_t>(original));
    }
  };

  // Signed bytes
  template<>
  struct simd8<int8_t> {
    v128_t value;

    static simdjson_inline simd8<int8_t> splat(int8_t _value) { return wasm_i8x16_splat(_value); }
    static simdjson_inline simd8<int8_t> zero() { return wasm_i8x16_splat(0); }
    static simdjson_inline simd8<int8_t> load(const int8_t values[16]) { return wasm_v128_load(values); }

    // Conversion from/to SIMD register (the same v128_t as the unsigned type's)
    simdjson_inline simd8(const v128_t _value) : value{_value} {}
    simdjson_inline operator const v128_t&() const { return this->value; }
    simdjson_inline operator v128_t&() { return this->value; }

    // Zero constructor
    simdjson_inline simd8() : simd8(zero()) {}
    // Splat constructor
    simdjson_inline simd8(int8_t _value) : simd8(splat(_value)) {}
    // Array constructor
    simdjson_inline simd8(const int8_t* values) : simd8(load(values)) {}
    // Member-by-member initialization
    simdjson_inline simd8(
      int8_t v0,  int8_t v1,  int8_t v2,  int8_t v3, int8_t v4,  int8_t v5,  int8_t v6,  int8_t v7,
      int8_t v8,  int8_t v9,  int8_t v10, int8_t v11, int8_t v12, int8_t v13, int8_t v14, int8_t v15
    ) : simd8(wasm_i8x16_make(
      v0, v1, v2, v3, v4, v5, v6, v7,
      v8, v9, v10,v11,v12,v13,v14,v15
    )) {}
    // Repeat 16 values as many times as necessary (usually for lookup tables)
    simdjson_inline static simd8<int8_t> repeat_16(
      int8_t v0,  int8_t v1,  int8_t v2,  int8_t v3,  int8_t v4,  int8_t v5,  int8_t v6,  int8_t v7,
      int8_t v8,  int8_t v9,  int8_t v10, int8_t v11, int8_t v12, int8_t v13, int8_t v14, int8_t v15
    ) {
      return simd8<int8_t>(
        v0, v1, v2, v3, v4, v5, v6, v7,
        v8, v9, v10,v11,v12,v13,v14,v15
      );
    }

    // Store to array
    simdjson_inline void store(int8_t dst[16]) const { wasm_v128_store(dst, *this); }

    // Explicit conversion to unsigned
    simdjson_inline explicit operator simd8<uint8_t>() const { return simd8<uint8_t>(this->value); }

    // Math
    simdjson_inline simd8<int8_t> operator+(const simd8<int8_t> other) const { return wasm_i8x16_add(*this, other); }
    simdjson_inline simd8<int8_t> operator-(const simd8<int8_t> other) const { return wasm_i8x16_sub(*this, other); }
    simdjson_inline simd8<int8_t>& operator+=(const simd8<int8_t> other) { *this = *this + other; return *this; }
    simdjson_inline simd8<int8_t>& operator-=(const simd8<int8_t> other) { *this = *this - other; return *this; }

    // Order-sensitive comparisons
    simdjson_inline simd8<int8_t> max_val(const simd8<int8_t> other) const { return wasm_i8x16_max(*this, other); }
    simdjson_inline simd8<int8_t> min_val(const simd8<int8_t> other) const { return wasm_i8x16_min(*this, other); }
    simdjson_inline simd8<bool> operator>(const simd8<int8_t> other) const { return wasm_i8x16_gt(*this, other); }
    simdjson_inline simd8<bool> operator<(const simd8<int8_t> other) const { return wasm_i8x16_lt(*this, other); }
    simdjson_inline simd8<bool> operator==(const simd8<int8_t> other) const { return wasm_i8x16_eq(*this, other); }

    template<int N=1>
    simdjson_inline simd8<int8_t> prev(const simd8<int8_t> prev_chunk) const {
      static_assert(N >= 1 && N <= 15, "prev<N> shifts by 1 to 15 bytes");
      return wasm_i8x16_shuffle(prev_chunk, *this,
        16 - N, 17 - N, 18 - N, 19 - N, 20 - N, 21 - N, 22 - N, 23 - N,
        24 - N, 25 - N, 26 - N, 27 - N, 28 - N, 29 - N, 30 - N, 31 - N);
    }

    // Perform a lookup assuming no value is larger than 16
    template<typename L>
    simdjson_inline simd8<L> lookup_16(simd8<L> lookup_table) const {
      return lookup_table.apply_lookup_16_to(*this);
    }
    template<typename L>
    simdjson_inline simd8<L> lookup_16(
        L replace0,  L replace1,  L replace2,  L replace3,
        L replace4,  L replace5,  L replace6,  L replace7,
        L replace8,  L replace9,  L replace10, L replace11,
        L replace12, L replace13, L replace14, L replace15) const {
      return lookup_16(simd8<L>::repeat_16(
        replace0,  replace1,  replace2,  replace3,
        replace4,  replace5,  replace6,  replace7,
        replace8,  replace9,  replace10, replace11,
        replace12, replace13, replace14, replace15
      ));
    }

    template<typename T>
    simdjson_inline simd8<int8_t> apply_lookup_16_to(const simd8<T> original) {
      return wasm_i8x16_swizzle(*this, simd8<uint8_t>(original));
    }
  };

  template<typename T>
  struct simd8x64 {
    static constexpr int NUM_CHUNKS = 64 / sizeof(simd8<T>);
    static_assert(NUM_CHUNKS == 4, "wasm kernel should use four registers per 64-byte block.");
    const simd8<T> chunks[NUM_CHUNKS];

    simd8x64(const simd8x64<T>& o) = delete; // no copy allowed
    simd8x64<T>& operator=(const simd8<T>& other) = delete; // no assignment allowed
    simd8x64() = delete; // no default constructor allowed

    simdjson_inline simd8x64(const simd8<T> chunk0, const simd8<T> chunk1, const simd8<T> chunk2, const simd8<T> chunk3) : chunks{chunk0, chunk1, chunk2, chunk3} {}
    simdjson_inline simd8x64(const T ptr[64]) : chunks{simd8<T>::load(ptr), simd8<T>::load(ptr+16), simd8<T>::load(ptr+32), simd8<T>::load(ptr+48)} {}

    simdjson_inline void store(T ptr[64]) const {
      this->chunks[0].store(ptr+sizeof(simd8<T>)*0);
      this->chunks[1].store(ptr+sizeof(simd8<T>)*1);
      this->chunks[2].store(ptr+sizeof(simd8<T>)*2);
      this->chunks[3].store(ptr+sizeof(simd8<T>)*3);
    }

    simdjson_inline simd8<T> reduce_or() const {
      return (this->chunks[0] | this->chunks[1]) | (this->chunks[2] | this->chunks[3]);
    }

    simdjson_inline uint64_t compress(uint64_t mask, T * output) const {
      // bytes kept per 8-byte group, then their running sum (as in arm64)
      uint64_t kept = ~mask;
      uint64_t popcounts = 0;
      for (int i = 0; i < 8; i++) {
        popcounts |= uint64_t(count_ones((kept >> (8 * i)) & 0xFF)) << (8 * i);
      }
      uint64_t offsets = popcounts * 0x0101010101010101;
      this->chunks[0].compress_halves(uint16_t(mask), output, &output[popcounts & 0xFF]);
      this->chunks[1].compress_halves(uint16_t(mask >> 16), &output[(offsets >> 8) & 0xFF], &output[(offsets >> 16) & 0xFF]);
      this->chunks[2].compress_halves(uint16_t(mask >> 32), &output[(offsets >> 24) & 0xFF], &output[(offsets >> 32) & 0xFF]);
      this->chunks[3].compress_halves(uint16_t(mask >> 48), &output[(offsets >> 40) & 0xFF], &output[(offsets >> 48) & 0xFF]);
      return offsets >> 56;
    }

    // Four i8x16.bitmask, one per register: each byte's top bit.
    simdjson_inline uint64_t to_bitmask() const {
      uint64_t r0 = uint32_t(wasm_i8x16_bitmask(this->chunks[0]));
      uint64_t r1 = uint32_t(wasm_i8x16_bitmask(this->chunks[1]));
      uint64_t r2 = uint32_t(wasm_i8x16_bitmask(this->chunks[2]));
      uint64_t r3 = uint32_t(wasm_i8x16_bitmask(this->chunks[3]));
      return r0 | (r1 << 16) | (r2 << 32) | (r3 << 48);
    }

    simdjson_inline uint64_t eq(const T m) const {
      const simd8<T> mask = simd8<T>::splat(m);
      return  simd8x64<bool>(
        this->chunks[0] == mask,
        this->chunks[1] == mask,
        this->chunks[2] == mask,
        this->chunks[3] == mask
      ).to_bitmask();
    }

    simdjson_inline uint64_t lteq(const T m) const {
      const simd8<T> mask = simd8<T>::splat(m);
      return  simd8x64<bool>(
        this->chunks[0] <= mask,
        this->chunks[1] <= mask,
        this->chunks[2] <= mask,
        this->chunks[3] <= mask
      ).to_bitmask();
    }
  }; // struct simd8x64<T>

} // namespace simd
} // unnamed namespace
} // namespace SIMDJSON_IMPLEMENTATION
} // namespace simdjson

#endif // SIMDJSON_WASM_SIMD_H
