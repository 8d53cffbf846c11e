// SPDX-License-Identifier: Apache-2.0
// A reference's path split as the reference index reads it: its last two
// segments are the type and the id, what comes before them the prefix (a
// base URL, or nothing). merge::ReferenceIndex finds a reference by this
// split, and SourceDraft holds a reference as its target by the same one,
// so a reference held so is found as its text would be.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace chartlock::fhir {

struct TypeAndId {
  std::size_t type_start;  // where the type begins: the prefix is path[0, type_start)
  std::string_view type, id;
};

// nullopt when the path has no '/' past its first character.
inline std::optional<TypeAndId> split_type_and_id(std::string_view path) {
  const std::size_t last = path.rfind('/');
  if (last == std::string_view::npos || last == 0) return std::nullopt;
  const std::size_t prev = path.rfind('/', last - 1);
  const std::size_t type_start = prev == std::string_view::npos ? 0 : prev + 1;
  return TypeAndId{type_start, path.substr(type_start, last - type_start), path.substr(last + 1)};
}

}  // namespace chartlock::fhir
