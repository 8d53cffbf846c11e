// SPDX-License-Identifier: Apache-2.0
// Duplicate object keys. JSON parsers disagree on which of two equal keys
// counts (simdjson and this core read the first, JavaScript's JSON.parse the
// last), so a resource holding one could be read one way here and another
// way by the tool that receives it raw in a share bundle.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "json/json_path.hpp"

namespace chartlock::json {

// Pointers here pass through keys taken from the input, which may be anything:
// a key that is not shaped like a FHIR element name (letters, digits, '_', at
// most 64) is never written into one, so no input value reaches a message.
// The pointer then stops at the deepest object reached through such names.

// Whether a key repeats within one object, its keys given one at a time by a
// walk that reads them anyway (fhir/resource_scan.cpp), so the object is not
// read twice; the pointer of the repeat is the functions' below. Objects of
// more than kPairwise keys (rare in FHIR) are checked whole, up front.
class KeyRepeats {
 public:
  static constexpr std::size_t kPairwise = 16;
  explicit KeyRepeats(simdjson::dom::object obj) {
    if (obj.size() > kPairwise) check_whole(obj);
  }
  // True when `key` is one given before (for a large object: when any repeats).
  bool add(std::string_view key) {
    if (n_ > kPairwise) return whole_;
    for (std::size_t j = 0; j < n_; ++j) {
      if (std::string_view(keys_[j].data, keys_[j].size) == key) return true;
    }
    keys_[n_++] = Key{key.data(), key.size()};
    return false;
  }

 private:
  void check_whole(simdjson::dom::object obj);

  // Left uninitialized (only the first n_ are read): zeroing sixteen
  // string_views cost more than the comparisons in a typical object.
  struct Key {
    const char* data;
    std::size_t size;
  };
  Key keys_[kPairwise];
  std::size_t n_ = 0;  // kPairwise + 1: a large object, answered by whole_
  bool whole_ = false;
};

// The JSON Pointer of a key that repeats within `obj` itself.
std::optional<std::string> find_duplicate_key(simdjson::dom::object obj, const Path& at);

// The same for `value` and every object nested in it (depth-first, the
// first found). Recursion is bounded by the parser's depth limit.
std::optional<std::string> find_duplicate_key_deep(simdjson::dom::element value, const Path& at);

}  // namespace chartlock::json
