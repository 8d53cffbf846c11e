// SPDX-License-Identifier: Apache-2.0
// A JSON Pointer (RFC 6901) built on the stack while walking a document and
// only turned into a string when something needs reporting: walking millions
// of fields must not cost an allocation each.
#pragma once

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace chartlock::json {

class Path {
 public:
  // A root with a prefix that is already a pointer ("" or "/entry/3/resource").
  explicit Path(std::string_view prefix = {}) : prefix_(prefix) {}

  Path operator/(std::string_view key) const { return Path(this, key); }
  Path operator/(std::size_t index) const { return Path(this, index); }

  // Written into a buffer on the stack when it surely fits (its bound is
  // found from the pieces' sizes alone), then copied once: one allocation at
  // most and no std::string call per piece (libc++, in wasm, inlines neither
  // append nor push_back; piece by piece was 2 % of summarize() there:
  // performance.md, fifth round). A longer one is measured exactly first,
  // then written in place: measuring reads every key's characters for the
  // ones escaped, which cost as much as writing them (tenth round).
  std::string str() const {
    char buf[kShort];
    if (max_length() <= kShort) return std::string(buf, write(buf));
    std::string out(length(), '\0');
    write(out.data());
    return out;
  }
  // The same into `out`, whose buffer is reused when it is large enough.
  void assign_to(std::string& out) const {
    char buf[kShort];
    if (max_length() <= kShort) {
      out.assign(buf, static_cast<std::size_t>(write(buf) - buf));
      return;
    }
    out.resize(length());
    write(out.data());
  }

 private:
  Path(const Path* parent, std::string_view key) : parent_(parent), key_(key), is_key_(true) {}
  Path(const Path* parent, std::size_t index) : parent_(parent), index_(index) {}

  static constexpr std::size_t kShort = 256;
  // At least length(): every key character counted as escaped, every index
  // as the longest one (20 digits).
  std::size_t max_length() const {
    std::size_t n = 0;
    const Path* p = this;
    for (; p->parent_; p = p->parent_) n += 1 + (p->is_key_ ? 2 * p->key_.size() : 20);
    return n + p->prefix_.size();
  }
  static std::size_t digits(std::size_t n) {
    std::size_t d = 1;
    for (; n >= 10; n /= 10) ++d;
    return d;
  }
  // RFC 6901: '~' is written "~0" and '/' "~1".
  std::size_t length() const {
    if (!parent_) return prefix_.size();
    std::size_t n = parent_->length() + 1;
    if (!is_key_) return n + digits(index_);
    for (const char c : key_) n += c == '~' || c == '/' ? 2 : 1;
    return n;
  }
  // Writes the pointer from `p` on; returns its end.
  char* write(char* p) const {
    if (!parent_) {
      if (!prefix_.empty()) std::memcpy(p, prefix_.data(), prefix_.size());
      return p + prefix_.size();
    }
    p = parent_->write(p);
    *p++ = '/';
    if (!is_key_) {
      char* end = p + digits(index_);
      std::size_t n = index_;
      for (char* q = end; q != p; n /= 10) *--q = static_cast<char>('0' + n % 10);
      return end;
    }
    for (const char c : key_) {
      if (c == '~' || c == '/') {
        *p++ = '~';
        *p++ = c == '~' ? '0' : '1';
      } else {
        *p++ = c;
      }
    }
    return p;
  }

  const Path* parent_ = nullptr;
  std::string_view prefix_;
  std::string_view key_;
  std::size_t index_ = 0;
  bool is_key_ = false;
};

}  // namespace chartlock::json
