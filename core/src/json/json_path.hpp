// SPDX-License-Identifier: Apache-2.0
// A JSON Pointer (RFC 6901) built on the stack while walking a document and
// only turned into a string when something needs reporting: walking millions
// of fields must not cost an allocation each.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chartlock::json {

class Path {
 public:
  // A root with a prefix that is already a pointer ("" or "/entry/3/resource").
  explicit Path(std::string_view prefix = {}) : prefix_(prefix) {}

  Path operator/(std::string_view key) const { return Path(this, key); }
  Path operator/(std::size_t index) const { return Path(this, index); }

  std::string str() const {
    std::string out;
    append_to(out);
    return out;
  }

 private:
  Path(const Path* parent, std::string_view key) : parent_(parent), key_(key), is_key_(true) {}
  Path(const Path* parent, std::size_t index) : parent_(parent), index_(index) {}

  void append_to(std::string& out) const {
    if (!parent_) {
      out.append(prefix_);
      return;
    }
    parent_->append_to(out);
    out.push_back('/');
    if (!is_key_) {
      out.append(std::to_string(index_));
      return;
    }
    // RFC 6901 escaping, appending the runs between escapes whole (a
    // character at a time was most of building every item's pointer in wasm).
    for (std::size_t i = 0; i < key_.size();) {
      const std::size_t j = key_.find_first_of("~/", i);
      out.append(key_.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
      if (j == std::string_view::npos) break;
      out.append(key_[j] == '~' ? "~0" : "~1");
      i = j + 1;
    }
  }

  const Path* parent_ = nullptr;
  std::string_view prefix_;
  std::string_view key_;
  std::size_t index_ = 0;
  bool is_key_ = false;
};

}  // namespace chartlock::json
