// SPDX-License-Identifier: Apache-2.0
// Byte containers shared by the crypto API: plain bytes, a non-owning view, and
// containers for secrets that are zeroed when their memory is released.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chartlock::crypto {

using Bytes = std::vector<std::uint8_t>;

// Zeroes n bytes at p in a way the optimizer may not remove (sodium_memzero).
void wipe(void* p, std::size_t n) noexcept;

class ByteView;
// Whether a and b hold the same bytes, in time that depends only on their
// length (sodium_memcmp): for comparing keys and tags.
bool equal(ByteView a, ByteView b) noexcept;

// A read-only view of contiguous bytes; it does not own them. Binary data
// travels as bytes, never as text, but views of strings are allowed so that
// passphrases, JSON and file contents can be passed without a copy.
class ByteView {
 public:
  constexpr ByteView() noexcept = default;
  constexpr ByteView(const std::uint8_t* data, std::size_t size) noexcept
      : data_(data), size_(size) {}
  template <class Alloc>
  ByteView(const std::vector<std::uint8_t, Alloc>& v) noexcept  // NOLINT: implicit by design
      : data_(v.data()), size_(v.size()) {}
  template <std::size_t N>
  constexpr ByteView(const std::array<std::uint8_t, N>& a) noexcept  // NOLINT
      : data_(a.data()), size_(N) {}
  ByteView(std::string_view s) noexcept  // NOLINT
      : data_(reinterpret_cast<const std::uint8_t*>(s.data())), size_(s.size()) {}
  ByteView(const std::string& s) noexcept : ByteView(std::string_view(s)) {}  // NOLINT

  constexpr const std::uint8_t* data() const noexcept { return data_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  constexpr const std::uint8_t* begin() const noexcept { return data_; }
  constexpr const std::uint8_t* end() const noexcept { return data_ + size_; }
  constexpr std::uint8_t operator[](std::size_t i) const noexcept { return data_[i]; }

  // The bytes [offset, offset + count), clamped to the view (like string_view::substr).
  constexpr ByteView sub(std::size_t offset, std::size_t count = SIZE_MAX) const noexcept {
    if (offset > size_) offset = size_;
    if (count > size_ - offset) count = size_ - offset;
    return ByteView(data_ + offset, count);
  }

 private:
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

inline Bytes to_bytes(ByteView v) { return Bytes(v.begin(), v.end()); }

// An allocator that zeroes memory before releasing it. Containers using it
// also wipe the old buffer when they grow, so no stale copy stays on the heap.
template <class T>
struct SecretAllocator {
  using value_type = T;
  SecretAllocator() noexcept = default;
  template <class U>
  SecretAllocator(const SecretAllocator<U>&) noexcept {}  // NOLINT: rebinding
  T* allocate(std::size_t n) { return std::allocator<T>{}.allocate(n); }
  void deallocate(T* p, std::size_t n) noexcept {
    wipe(p, n * sizeof(T));
    std::allocator<T>{}.deallocate(p, n);
  }
  template <class U>
  bool operator==(const SecretAllocator<U>&) const noexcept { return true; }
  template <class U>
  bool operator!=(const SecretAllocator<U>&) const noexcept { return false; }
};

// Secret bytes of any length (keys in transit, passphrases, key-file text).
// Wiped when freed; clear() alone does not wipe.
using SecretBytes = std::vector<std::uint8_t, SecretAllocator<std::uint8_t>>;
// Note: a string this short fits in the object itself (small-string
// optimization) and is then not wiped; use it only for longer secrets.
using SecretString = std::basic_string<char, std::char_traits<char>, SecretAllocator<char>>;

// A fixed-size secret (a key, a seed), zeroed by its destructor. Copies are
// independent and each is zeroed in turn.
template <std::size_t N>
class SecretArray {
 public:
  SecretArray() noexcept = default;
  SecretArray(const SecretArray&) = default;
  SecretArray& operator=(const SecretArray&) = default;
  ~SecretArray() { wipe(bytes_.data(), N); }

  std::uint8_t* data() noexcept { return bytes_.data(); }
  const std::uint8_t* data() const noexcept { return bytes_.data(); }
  static constexpr std::size_t size() noexcept { return N; }
  ByteView view() const noexcept { return ByteView(bytes_.data(), N); }

 private:
  std::array<std::uint8_t, N> bytes_{};
};

}  // namespace chartlock::crypto
