// SPDX-License-Identifier: Apache-2.0
#include "json/array_member.hpp"

#include <cstring>

namespace chartlock::json {

namespace {

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

}  // namespace

std::optional<SplitArray> split_array_member(std::string_view text, std::string_view key) {
  Scanner s(text);
  s.skip_space();
  if (!s.take('{')) return std::nullopt;
  const char* open = nullptr;   // the array's '['
  const char* close = nullptr;  // its ']'
  SplitArray out;
  s.skip_space();
  if (s.take('}')) return std::nullopt;  // an empty object has no such member
  for (;;) {
    s.skip_space();
    if (s.peek() != '"') return std::nullopt;
    const char* name_start = s.at() + 1;
    bool escaped = false;
    if (!s.skip_string(&escaped)) return std::nullopt;
    // An escaped name might spell `key` too; a full parse decides such text.
    if (escaped) return std::nullopt;
    const std::string_view name(name_start, static_cast<std::size_t>(s.at() - 1 - name_start));
    s.skip_space();
    if (!s.take(':')) return std::nullopt;
    s.skip_space();
    if (name == key) {
      if (open || s.peek() != '[') return std::nullopt;  // twice, or not an array
      open = s.at();
      s.take('[');
      s.skip_space();
      if (!s.take(']')) {
        for (;;) {
          s.skip_space();
          const char* start = s.at();
          if (!s.skip_value()) return std::nullopt;
          const std::size_t size = static_cast<std::size_t>(s.at() - start);
          out.elements.emplace_back(start, size);
          if (size > out.largest) out.largest = size;
          s.skip_space();
          if (s.take(']')) break;
          if (!s.take(',')) return std::nullopt;
        }
      }
      close = s.at() - 1;
    } else if (!s.skip_value()) {
      return std::nullopt;
    }
    s.skip_space();
    if (s.take('}')) break;
    if (!s.take(',')) return std::nullopt;
  }
  s.skip_space();
  if (!s.done() || !open) return std::nullopt;
  const std::size_t head = static_cast<std::size_t>(open + 1 - text.data());
  const std::size_t tail = static_cast<std::size_t>(close - text.data());
  out.envelope.reserve(head + (text.size() - tail));
  out.envelope.append(text.substr(0, head));
  out.envelope.append(text.substr(tail));
  return out;
}

}  // namespace chartlock::json
