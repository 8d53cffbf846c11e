// SPDX-License-Identifier: Apache-2.0
// An object's members read in one walk, then found by key in a small hash
// table (or, for a few members, in order). A reader asks an object for a
// dozen keys or more, most of them absent (the [x] choices: valueQuantity,
// valueCodeableConcept…), and simdjson's at_key scans every member for each;
// here a key costs a hash and, when present, one comparison.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <new>
#include <optional>
#include <string_view>

#include "json/same_key.hpp"

namespace chartlock::json {

// The value of the first member named `key` (as at_key finds it), found by
// walking the object's members: for an object asked a single key (a
// Reference's "reference", meta's "lastUpdated", an entry's "fullUrl") the
// walk costs less than building its table (ObjectFields) to look it up once.
// Always inlined, as find_members: where the key is a literal its length and
// bytes are constants, and the compare of each member's key is a few
// instructions.
[[gnu::always_inline]] inline std::optional<simdjson::dom::element> find_member(simdjson::dom::object obj,
                                                                                std::string_view key) {
  for (auto it = obj.begin(), end = obj.end(); it != end; ++it) {
    if (same_key(it.key(), key)) return it.value();
  }
  return std::nullopt;
}

// The first member named each of `keys` (as at_key finds each), in one walk
// of the object: for a small object whose fields are all read at once (a
// Coding, a Quantity, a Period) cheaper than a table and then a lookup a key.
// The keys are distinct; a key absent leaves its `found` empty.
template <std::size_t N>
[[gnu::always_inline]] inline void find_members(simdjson::dom::object obj, const std::string_view (&keys)[N],
                                                std::optional<simdjson::dom::element> (&found)[N]) {
  for (auto it = obj.begin(), end = obj.end(); it != end; ++it) {
    const std::string_view key = it.key();
    for (std::size_t k = 0; k < N; ++k) {
      if (same_key(key, keys[k])) {
        if (!found[k]) found[k] = it.value();  // a repeat: the first is the one read
        break;
      }
    }
  }
}

class ObjectFields {
 public:
  explicit ObjectFields(simdjson::dom::object obj);
  // 2 KB of slots natively: built in place, never copied by accident.
  ObjectFields(const ObjectFields&) = delete;
  ObjectFields& operator=(const ObjectFields&) = delete;

  // The value of the first member named `key` (as at_key finds it), if any.
  // Inline: every field a reader asks for is a lookup, and the call (its key
  // passed through memory in wasm, its optional returned through memory) was
  // a good part of one.
  std::optional<simdjson::dom::element> find(std::string_view key) const {
    if (mode_ == Mode::in_order) {
      // In order, so the first of a repeated key is the one found.
      for (std::size_t i = 0; i < used_; ++i) {
        if (same_key(slot(i).key, key)) return slot(i).value;
      }
      return std::nullopt;
    }
    if (mode_ == Mode::wide) return find_wide(key);
    for (std::size_t i = hash(key); used_ & (std::uint64_t{1} << i); i = (i + 1) & (kSlots - 1)) {
      if (same_key(slot(i).key, key)) return slot(i).value;
    }
    return std::nullopt;
  }

 private:
  // Twice the members that fit, so probes stay short. A wider object (rare in
  // FHIR; hostile input) is searched with at_key instead, correctly if slowly.
  static constexpr std::size_t kSlots = 64;
  static constexpr std::size_t kMaxMembers = kSlots / 2;
  // Up to this many members (a Coding, a CodeableConcept, a Reference, a
  // Period, a Quantity) are kept in order and compared one by one: cheaper
  // than hashing every key asked for.
  static constexpr std::size_t kInOrder = 5;
  enum class Mode : unsigned char { in_order, hashed, wide };

  struct Slot {
    std::string_view key;
    simdjson::dom::element value;
  };

  static std::size_t hash(std::string_view key) {
    // Length and two letters tell FHIR's keys apart well enough: choices
    // share their prefix ("value…", "effective…") and differ after it.
    const std::size_t n = key.size();
    if (n == 0) return 0;
    const auto c = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(key[i])); };
    return (n * 5 + c(n - 1) + c(n / 2) * 3) & (kSlots - 1);
  }
  std::optional<simdjson::dom::element> find_wide(std::string_view key) const;
  const Slot& slot(std::size_t i) const {
    return *std::launder(reinterpret_cast<const Slot*>(storage_ + i * sizeof(Slot)));
  }

  simdjson::dom::object obj_;
  std::uint64_t used_ = 0;  // hashed: one bit per slot in use; in order: the count
  Mode mode_ = Mode::in_order;
  // Raw storage: only the slots in use are written (an object of a few
  // members must not pay for clearing 64).
  alignas(Slot) unsigned char storage_[kSlots * sizeof(Slot)];
};

}  // namespace chartlock::json
