// SPDX-License-Identifier: Apache-2.0
// ShortText: a string for the record's item keys, the keys that point at
// items (`encounter`, `members`, `results`) and its dates, with room for 31
// characters inside the value itself.
//
// Why: those texts are mostly 20 to 29 characters ("cond-0a0318acfedf646b",
// "enc-31d9345ab02648c1", "2006-01-02T11:26:00+00:00", with milliseconds
// 29), past the 15 characters a libstdc++ string keeps inline and the 10 of
// libc++ in wasm, so each was a heap block of its own: about 42,000 in a
// 10 MB patient's record, each allocated, and each freed with the record
// (docs/performance.md, "The record's keys and dates").
//
// Contract:
// - A plain value: copyable, movable (the one moved from is left empty),
//   default-empty; 32 bytes natively, the size of a std::string.
// - Nothing is ever cut: a text longer than 31 characters is held in a heap
//   block of its exact size instead, behaving the same.
// - Compares (`==`, `<`…) with another ShortText, a std::string, a
//   std::string_view or a literal by its characters, as std::string does
//   (so keys sort and merge as before); std::hash gives what it gives the
//   same std::string. It converts implicitly to std::string_view (valid
//   while the value is neither changed, moved nor destroyed), and to a
//   std::string (a copy; so does `str()`). Not streamed (an operator<< here
//   and Catch2's own were ambiguous to clang): stream `view()`.
#pragma once

#include <cstddef>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace chartlock {

class ShortText {
 public:
  static constexpr std::size_t kInline = 31;  // characters held without a heap block

  ShortText() noexcept = default;
  ShortText(std::string_view s) { init(s); }                 // NOLINT: implicit by design
  ShortText(const std::string& s) { init(s); }               // NOLINT
  ShortText(const char* s) { init(std::string_view(s)); }    // NOLINT
  ShortText(const ShortText& o) { init(o.view()); }
  ShortText(ShortText&& o) noexcept { take(o); }
  ShortText& operator=(const ShortText& o) {
    if (this != &o) assign(o.view());
    return *this;
  }
  ShortText& operator=(ShortText&& o) noexcept {
    if (this != &o) {
      release();
      take(o);
    }
    return *this;
  }
  ShortText& operator=(std::string_view s) {
    assign(s);
    return *this;
  }
  ShortText& operator=(const std::string& s) { return *this = std::string_view(s); }
  ShortText& operator=(const char* s) { return *this = std::string_view(s); }
  ~ShortText() { release(); }

  const char* data() const noexcept {
    return on_heap() ? heap().data : reinterpret_cast<const char*>(bytes_);
  }
  std::size_t size() const noexcept { return on_heap() ? heap().size : bytes_[kTag]; }
  std::size_t length() const noexcept { return size(); }
  bool empty() const noexcept { return size() == 0; }
  std::string_view view() const noexcept { return std::string_view(data(), size()); }
  operator std::string_view() const noexcept { return view(); }  // NOLINT: implicit by design
  std::string str() const { return std::string(data(), size()); }
  // A copy, so code taking `const std::string&` takes a ShortText unchanged
  // (the share, IPS and consent writers); hot paths take string_views.
  operator std::string() const { return str(); }  // NOLINT: implicit by design
  const char* begin() const noexcept { return data(); }
  const char* end() const noexcept { return data() + size(); }
  char operator[](std::size_t i) const noexcept { return data()[i]; }
  int compare(std::string_view o) const noexcept { return view().compare(o); }
  void clear() noexcept {
    release();
    bytes_[kTag] = 0;
  }
  // False while the text fits inline (tests, and the measurements).
  bool on_heap() const noexcept { return bytes_[kTag] == kHeapTag; }

  // Compared with anything that is a string_view, std::string or literal, by
  // characters (a template, so a literal or std::string matches it exactly
  // and no conversion makes a call ambiguous).
  template <class T>
  using IfText = std::enable_if_t<!std::is_same_v<std::decay_t<T>, ShortText> &&
                                  std::is_convertible_v<const T&, std::string_view>>;
  friend bool operator==(const ShortText& a, const ShortText& b) noexcept { return a.view() == b.view(); }
  friend bool operator!=(const ShortText& a, const ShortText& b) noexcept { return a.view() != b.view(); }
  friend bool operator<(const ShortText& a, const ShortText& b) noexcept { return a.view() < b.view(); }
  friend bool operator>(const ShortText& a, const ShortText& b) noexcept { return a.view() > b.view(); }
  friend bool operator<=(const ShortText& a, const ShortText& b) noexcept { return a.view() <= b.view(); }
  friend bool operator>=(const ShortText& a, const ShortText& b) noexcept { return a.view() >= b.view(); }
  template <class T, class = IfText<T>>
  friend bool operator==(const ShortText& a, const T& b) noexcept { return a.view() == std::string_view(b); }
  template <class T, class = IfText<T>>
  friend bool operator==(const T& a, const ShortText& b) noexcept { return std::string_view(a) == b.view(); }
  template <class T, class = IfText<T>>
  friend bool operator!=(const ShortText& a, const T& b) noexcept { return a.view() != std::string_view(b); }
  template <class T, class = IfText<T>>
  friend bool operator!=(const T& a, const ShortText& b) noexcept { return std::string_view(a) != b.view(); }
  template <class T, class = IfText<T>>
  friend bool operator<(const ShortText& a, const T& b) noexcept { return a.view() < std::string_view(b); }
  template <class T, class = IfText<T>>
  friend bool operator<(const T& a, const ShortText& b) noexcept { return std::string_view(a) < b.view(); }

  friend std::string operator+(const std::string& a, const ShortText& b) {
    std::string out;
    out.reserve(a.size() + b.size());
    return out.append(a).append(b.data(), b.size());
  }
  friend std::string operator+(const char* a, const ShortText& b) { return std::string(a) + b; }
  friend std::string operator+(const ShortText& a, std::string_view b) {
    std::string out;
    out.reserve(a.size() + b.size());
    return out.append(a.data(), a.size()).append(b);
  }
  friend std::string operator+(const ShortText& a, const char* b) { return a + std::string_view(b); }
  friend std::string operator+(const ShortText& a, const std::string& b) { return a + std::string_view(b); }

 private:
  // The last byte tells which: the inline length (0..31), or kHeapTag when
  // the first bytes hold a Heap.
  static constexpr std::size_t kTag = kInline;
  static constexpr unsigned char kHeapTag = 0xff;
  struct Heap {
    char* data;
    std::size_t size;
  };
  static_assert(sizeof(Heap) <= kInline, "the heap form fits before the tag");

  Heap heap() const noexcept {
    Heap h;
    std::memcpy(&h, bytes_, sizeof h);
    return h;
  }
  void init(std::string_view s) {
    if (s.size() > kInline) return init_heap(s);
    if (!s.empty()) std::memcpy(bytes_, s.data(), s.size());
    bytes_[kTag] = static_cast<unsigned char>(s.size());
  }
  // Out of line (short_text.cpp): the rare path, and code size in wasm.
  void init_heap(std::string_view s);
  void assign(std::string_view s);
  void take(ShortText& o) noexcept {
    std::memcpy(bytes_, o.bytes_, sizeof bytes_);
    o.bytes_[kTag] = 0;
  }
  void release() noexcept {
    if (on_heap()) delete[] heap().data;
  }

  alignas(Heap) unsigned char bytes_[kInline + 1] = {};
};

static_assert(sizeof(ShortText) == 32, "one std::string's size natively");

// nlohmann::json finds these by argument-dependent lookup (as Interned's).
template <class Json>
void to_json(Json& j, const ShortText& s) {
  j = s.str();
}
template <class Json>
void from_json(const Json& j, ShortText& s) {
  s = j.template get<std::string>();
}

}  // namespace chartlock

namespace std {
template <>
struct hash<chartlock::ShortText> {
  std::size_t operator()(const chartlock::ShortText& t) const noexcept {
    return std::hash<std::string_view>()(t.view());
  }
};
}  // namespace std
