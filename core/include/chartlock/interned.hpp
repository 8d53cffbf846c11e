// SPDX-License-Identifier: Apache-2.0
// Interned: a string for the record's fields with few distinct values (code
// systems, units, displays, statuses, resource types, source names), held as
// one pointer into a shared pool instead of a heap copy per field.
//
// Contract (what a user of the type may rely on):
// - A plain value: copyable, movable, default-empty; compares with `==`/`!=`
//   to another Interned, a std::string, a std::string_view or a literal, by
//   its characters; `<` orders by characters. It converts implicitly to
//   `const std::string&`, so it passes wherever that is expected.
// - Lifetime of that reference: as long as the Interned it came from is
//   alive and unchanged. For a pooled value it is in fact the pool's entry,
//   which lives until the process ends, but a value stored un-interned (see
//   below) owns its characters: never keep the reference of a temporary
//   (`const std::string& s = make_coding().system;` dangles).
// - Thread-safe: the pool is guarded by a mutex, so items may be built and
//   copied on several threads (no native code does today; the wasm module
//   has one thread). In front of it, each thread keeps its own table of the
//   strings it found last (8 KiB a thread), read without the lock: they
//   point at the pool's strings, which never move nor free.
// - Memory stays bounded for hostile input. The pool is process-wide and
//   never frees (an entry's address is its identity, and copies of items
//   share it across records), so it is capped: at most `kMaxEntries`
//   strings of at most `kMaxLength` bytes each. A string longer than that,
//   or arriving once the pool is full, is stored un-interned, owned by its
//   value as a std::string would be (one heap allocation, freed with the
//   value); behaviour is the same either way, only the memory differs. A
//   source carrying a million distinct "units" thus costs about what it cost
//   before this type (a pointer more per value), plus the capped pool (at
//   most about 4 MiB).
//   Chosen over a pool owned by each Record: that pool would have to be
//   handed to every reader and re-interned on every copy between records
//   (merging copies items from each source's draft into the record), for
//   values that are nearly the same in every record of every patient.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace chartlock {

class Interned {
 public:
  static constexpr std::size_t kMaxEntries = 16384;  // distinct strings pooled
  static constexpr std::size_t kMaxLength = 128;     // longer ones are never pooled

  Interned() noexcept = default;
  Interned(std::string_view s) { assign(s); }            // NOLINT: implicit by design
  Interned(const std::string& s) { assign(s); }          // NOLINT
  Interned(const char* s) { assign(std::string_view(s)); }  // NOLINT
  Interned(const Interned& o) { copy_from(o); }
  Interned(Interned&& o) noexcept : p_(o.p_) { o.p_ = 0; }
  Interned& operator=(const Interned& o) {
    if (this != &o) {
      release();
      copy_from(o);
    }
    return *this;
  }
  Interned& operator=(Interned&& o) noexcept {
    if (this != &o) {
      release();
      p_ = o.p_;
      o.p_ = 0;
    }
    return *this;
  }
  Interned& operator=(std::string_view s) {
    // `s` may be this value's own characters (a = a.view()): read before freed.
    Interned next(s);
    std::swap(p_, next.p_);
    return *this;
  }
  Interned& operator=(const std::string& s) { return *this = std::string_view(s); }
  Interned& operator=(const char* s) { return *this = std::string_view(s); }
  ~Interned() { release(); }

  const std::string& str() const noexcept {
    return p_ ? *reinterpret_cast<const std::string*>(p_ & ~std::uintptr_t(1)) : empty_string();
  }
  operator const std::string&() const noexcept { return str(); }  // NOLINT: implicit by design
  operator std::string_view() const noexcept { return str(); }  // NOLINT: implicit by design
  std::string_view view() const noexcept { return str(); }

  bool empty() const noexcept { return p_ == 0; }
  void clear() noexcept { release(); }
  int compare(std::string_view o) const noexcept { return view().compare(o); }
  std::size_t size() const noexcept { return str().size(); }
  const char* c_str() const noexcept { return str().c_str(); }
  const char* data() const noexcept { return str().data(); }
  // False for the empty value and for one stored un-interned (tests).
  bool pooled() const noexcept { return p_ != 0 && (p_ & 1) == 0; }
  // A value stored un-interned whatever its length: for free text from the
  // input that a field holding a few known values may also carry (a
  // report's own range text beside the knowledge base's citations), which
  // the pool, never freed, should not keep past the record's life.
  static Interned unpooled(std::string_view s) {
    Interned v;
    if (!s.empty()) v.p_ = reinterpret_cast<std::uintptr_t>(new std::string(s)) | 1;
    return v;
  }

  // How many strings the pool holds now (tests, benchmarks).
  static std::size_t pool_size();

  friend bool operator==(const Interned& a, const Interned& b) noexcept {
    return a.p_ == b.p_ || a.view() == b.view();
  }
  friend bool operator==(const Interned& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(std::string_view a, const Interned& b) noexcept { return a == b.view(); }
  friend bool operator==(const Interned& a, const std::string& b) noexcept { return a.view() == b; }
  friend bool operator==(const std::string& a, const Interned& b) noexcept { return a == b.view(); }
  friend bool operator==(const Interned& a, const char* b) noexcept { return a.view() == b; }
  friend bool operator==(const char* a, const Interned& b) noexcept { return a == b.view(); }
  template <class T>
  friend bool operator!=(const Interned& a, const T& b) noexcept { return !(a == b); }
  template <class T, class = std::enable_if_t<!std::is_same_v<T, Interned>>>
  friend bool operator!=(const T& a, const Interned& b) noexcept { return !(b == a); }
  friend bool operator<(const Interned& a, const Interned& b) noexcept { return a.view() < b.view(); }

  friend std::string operator+(const std::string& a, const Interned& b) { return a + b.str(); }
  friend std::string operator+(const Interned& a, const std::string& b) { return a.str() + b; }
  friend std::string operator+(const char* a, const Interned& b) { return a + b.str(); }
  friend std::string operator+(const Interned& a, const char* b) { return a.str() + b; }

 private:
  // 0: empty. Else the address of a std::string: the pool's (low bit 0) or
  // one this value owns (low bit 1; std::string is at least 4-aligned).
  std::uintptr_t p_ = 0;

  static const std::string& empty_string() noexcept;
  void assign(std::string_view s);
  void copy_from(const Interned& o);
  void release() noexcept {
    if (p_ & 1) delete reinterpret_cast<std::string*>(p_ & ~std::uintptr_t(1));
    p_ = 0;
  }
};

// For lists of codes (categories): to and from plain strings.
inline std::vector<std::string> to_strings(const std::vector<Interned>& v) {
  return std::vector<std::string>(v.begin(), v.end());
}
inline std::vector<Interned> to_interned(const std::vector<std::string>& v) {
  return std::vector<Interned>(v.begin(), v.end());
}

// nlohmann::json finds these by argument-dependent lookup (no include here:
// core/ uses nlohmann only where it writes or reads JSON text).
template <class Json>
void to_json(Json& j, const Interned& s) {
  j = s.str();
}
template <class Json>
void from_json(const Json& j, Interned& s) {
  s = j.template get<std::string>();
}

}  // namespace chartlock
