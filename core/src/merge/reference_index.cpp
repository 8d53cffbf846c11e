// SPDX-License-Identifier: Apache-2.0
#include "merge/reference_index.hpp"

namespace chartlock::merge {

ReferenceIndex::ReferenceIndex(const std::vector<fhir::ResourceEntry>& entries) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const fhir::ResourceEntry& e = entries[i];
    // First one wins: a resource repeated across search pages is the same one.
    if (!e.fullUrl.empty()) by_full_url_.emplace(e.fullUrl, i);
    if (!e.id.empty()) by_type_id_.emplace(e.type + "/" + e.id, i);
  }
}

ReferenceIndex::Result ReferenceIndex::find(std::string_view reference) const {
  // "Patient?identifier=…": a conditional reference, which only the server
  // that processes a transaction can resolve. Not dangling, just not ours.
  if (reference.find('?') != std::string_view::npos) return {Outcome::conditional};
  if (auto it = by_full_url_.find(std::string(reference)); it != by_full_url_.end()) {
    return {Outcome::found, it->second};
  }
  if (reference.rfind("urn:", 0) == 0 || reference.rfind("#", 0) == 0) {
    return {Outcome::dangling};
  }
  std::string_view path = reference;
  if (auto h = path.find("/_history/"); h != std::string_view::npos) path = path.substr(0, h);
  if (auto it = by_full_url_.find(std::string(path)); it != by_full_url_.end()) {
    return {Outcome::found, it->second};
  }
  // Absolute URL or relative: the last two segments are Type/id.
  auto last = path.rfind('/');
  if (last == std::string_view::npos || last == 0) return {Outcome::dangling};
  auto prev = path.rfind('/', last - 1);
  std::string_view type_id = prev == std::string_view::npos ? path : path.substr(prev + 1);
  if (auto it = by_type_id_.find(std::string(type_id)); it != by_type_id_.end()) {
    return {Outcome::found, it->second};
  }
  return {Outcome::dangling};
}

}  // namespace chartlock::merge
