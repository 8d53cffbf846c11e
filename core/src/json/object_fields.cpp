// SPDX-License-Identifier: Apache-2.0
#include "json/object_fields.hpp"

#include <new>
#include <type_traits>

namespace chartlock::json {

static_assert(std::is_trivially_copyable_v<simdjson::dom::element>,
              "slots are written in place and never destroyed");

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
      if (same_key(slot(i).key, key)) goto next;  // a repeat: the first is the one read
      i = (i + 1) & (kSlots - 1);
    }
    used_ |= std::uint64_t{1} << i;
    new (storage_ + i * sizeof(Slot)) Slot{key, field.value};
  next:;
  }
}

std::optional<simdjson::dom::element> ObjectFields::find_wide(std::string_view key) const {
  simdjson::dom::element e;
  if (obj_.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
  return e;
}

}  // namespace chartlock::json
