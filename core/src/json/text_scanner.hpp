// SPDX-License-Identifier: Apache-2.0
// A forward scan over JSON text that finds boundaries (strings, containers,
// scalars) without parsing: what lets a large input be split or sniffed
// without building a DOM. It checks only what it looks at; whoever acts on
// what it found parses that part (internal to core/src/json).
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

namespace chartlock::json {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  const char* at() const { return p_; }
  bool done() const { return p_ == end_; }
  char peek() const { return p_ < end_ ? *p_ : '\0'; }

  void skip_space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool take(char c) {
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }

  // At an opening quote: moves past the closing one. `escaped` says whether
  // the string held a backslash.
  bool skip_string(bool* escaped = nullptr) {
    ++p_;
    while (p_ < end_) {
      // Most bytes are ordinary: let memchr-like scans find the next quote.
      const void* q = std::memchr(p_, '"', static_cast<std::size_t>(end_ - p_));
      if (!q) return false;
      const char* quote = static_cast<const char*>(q);
      // A quote preceded by an odd run of backslashes is escaped.
      std::size_t slashes = 0;
      for (const char* b = quote; b > p_ && b[-1] == '\\'; --b) ++slashes;
      if (escaped && !*escaped && std::memchr(p_, '\\', static_cast<std::size_t>(quote - p_))) {
        *escaped = true;
      }
      p_ = quote + 1;
      if (slashes % 2 == 0) return true;
    }
    return false;
  }

  // Moves past one value of any kind. Scalars are only delimited here.
  bool skip_value() {
    const char c = peek();
    if (c == '"') return skip_string();
    if (c == '{' || c == '[') return skip_container();
    const char* start = p_;
    while (p_ < end_ && !std::strchr(",]} \t\r\n", *p_)) ++p_;
    return p_ != start;
  }

 private:
  bool skip_container() {
    std::size_t depth = 0;
    while (p_ < end_) {
      const char c = *p_;
      if (c == '"') {
        if (!skip_string()) return false;
        continue;
      }
      ++p_;
      if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) return false;
        if (--depth == 0) return true;
      }
    }
    return false;
  }

  const char* p_;
  const char* end_;
};


}  // namespace chartlock::json
