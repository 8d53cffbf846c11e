// SPDX-License-Identifier: Apache-2.0
#include "json/object_fields.hpp"

#include <new>
#include <type_traits>

namespace chartlock::json {

static_assert(std::is_trivially_copyable_v<simdjson::dom::element>,
              "slots are written in place and never destroyed");

std::size_t ObjectFields::hash(std::string_view key) {
  // Length and two letters tell FHIR's keys apart well enough: choices share
  // their prefix ("value…", "effective…") and differ after it.
  const std::size_t n = key.size();
  if (n == 0) return 0;
  const auto c = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(key[i])); };
  return (n * 5 + c(n - 1) + c(n / 2) * 3) & (kSlots - 1);
}

ObjectFields::ObjectFields(simdjson::dom::object obj) : obj_(obj) {
  const std::size_t members = obj.size();
  if (members > kMaxMembers) {
    mode_ = Mode::wide;
    return;
  }
  if (members <= kInOrder) {
    for (auto field : obj) new (storage_ + used_++ * sizeof(Slot)) Slot{field.key, field.value};
    return;
  }
  mode_ = Mode::hashed;
  for (auto field : obj) {
    const std::string_view key = field.key;
    std::size_t i = hash(key);
    while (used_ & (std::uint64_t{1} << i)) {
      if (slot(i).key == key) goto next;  // a repeat: the first is the one read
      i = (i + 1) & (kSlots - 1);
    }
    used_ |= std::uint64_t{1} << i;
    new (storage_ + i * sizeof(Slot)) Slot{key, field.value};
  next:;
  }
}

std::optional<simdjson::dom::element> ObjectFields::find(std::string_view key) const {
  if (mode_ == Mode::in_order) {
    // In order, so the first of a repeated key is the one found.
    for (std::size_t i = 0; i < used_; ++i) {
      if (slot(i).key == key) return slot(i).value;
    }
    return std::nullopt;
  }
  if (mode_ == Mode::wide) {
    simdjson::dom::element e;
    if (obj_.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
    return e;
  }
  for (std::size_t i = hash(key); used_ & (std::uint64_t{1} << i); i = (i + 1) & (kSlots - 1)) {
    if (slot(i).key == key) return slot(i).value;
  }
  return std::nullopt;
}

}  // namespace chartlock::json
