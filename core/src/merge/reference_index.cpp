// SPDX-License-Identifier: Apache-2.0
#include "merge/reference_index.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "keyed_hash.hpp"

namespace chartlock::merge {

namespace {

// `type`, '/', `id` hash as three pieces, the same way when the index is
// built and when a reference is looked up (keyed_hash.hpp: SipHash under a
// random key per process; with a fixed hash, ids chosen to share their low
// bits fill one run of slots that every insert and lookup walks, quadratic in
// the resources: 100,000 such ids took 24 s to index and 31 s to look up).
std::uint64_t hash_url(std::string_view url) { return KeyedHash().add(url).value(); }
std::uint64_t hash_type_id(std::string_view type, std::string_view id) {
  return KeyedHash().add(type).add("/").add(id).value();
}

}  // namespace

ReferenceIndex::ReferenceIndex(const std::vector<fhir::ResourceEntry>& entries, const fhir::TextArena& text)
    : entries_(entries), text_(text) {
  if (entries.size() >= std::numeric_limits<std::uint32_t>::max() / 4) {
    throw std::length_error("too many resources to index");  // the resource limit stops far earlier
  }
  // At most half full: probes stay short.
  std::size_t slots = 16;
  while (slots < 2 * entries.size()) slots *= 2;
  mask_ = slots - 1;
  // A source without fullUrls (NDJSON) gets no table for them: 4 bytes a
  // slot, 8 MiB for a million-resource export.
  if (std::any_of(entries.begin(), entries.end(), [](const fhir::ResourceEntry& e) { return !e.fullUrl.empty(); })) {
    full_urls_.assign(slots, kEmpty);
  }
  type_ids_.assign(slots, kEmpty);
  for (std::uint32_t i = 0; i < entries.size(); ++i) {
    const fhir::ResourceEntry& e = entries[i];
    // First one wins: a resource repeated across search pages is the same one.
    if (const std::string_view url = text[e.fullUrl]; !url.empty()) {
      for (std::size_t at = hash_url(url) & mask_;; at = (at + 1) & mask_) {
        if (full_urls_[at] == kEmpty) {
          full_urls_[at] = i;
          break;
        }
        if (text[entries[full_urls_[at]].fullUrl] == url) break;
      }
    }
    if (const std::string_view id = text[e.id]; !id.empty()) {
      for (std::size_t at = hash_type_id(e.type, id) & mask_;; at = (at + 1) & mask_) {
        if (type_ids_[at] == kEmpty) {
          type_ids_[at] = i;
          break;
        }
        const fhir::ResourceEntry& held = entries[type_ids_[at]];
        if (held.type == e.type && text[held.id] == id) break;
      }
    }
  }
}

std::uint32_t ReferenceIndex::by_full_url(std::string_view full_url) const {
  if (full_urls_.empty()) return kEmpty;
  for (std::size_t at = hash_url(full_url) & mask_;; at = (at + 1) & mask_) {
    const std::uint32_t i = full_urls_[at];
    if (i == kEmpty || text_[entries_[i].fullUrl] == full_url) return i;
  }
}

std::uint32_t ReferenceIndex::by_type_id(std::string_view type, std::string_view id) const {
  for (std::size_t at = hash_type_id(type, id) & mask_;; at = (at + 1) & mask_) {
    const std::uint32_t i = type_ids_[at];
    if (i == kEmpty || (entries_[i].type == type && text_[entries_[i].id] == id)) return i;
  }
}

std::size_t ReferenceIndex::longest_run() const {
  std::size_t longest = 0;
  for (const auto* table : {&full_urls_, &type_ids_}) {
    std::size_t run = 0;
    for (std::uint32_t slot : *table) {
      run = slot == kEmpty ? 0 : run + 1;
      if (run > longest) longest = run;
    }
  }
  return longest;
}

ReferenceIndex::Result ReferenceIndex::find(std::string_view reference) const {
  // "Patient?identifier=…": a conditional reference, which only the server
  // that processes a transaction can resolve. Not dangling, just not ours.
  if (reference.find('?') != std::string_view::npos) return {fhir::RefOutcome::conditional};
  if (const std::uint32_t i = by_full_url(reference); i != kEmpty) return {fhir::RefOutcome::found, i};
  if (reference.rfind("urn:", 0) == 0 || reference.rfind("#", 0) == 0) {
    return {fhir::RefOutcome::dangling};
  }
  std::string_view path = reference;
  if (auto h = path.find("/_history/"); h != std::string_view::npos) path = path.substr(0, h);
  if (const std::uint32_t i = by_full_url(path); i != kEmpty) return {fhir::RefOutcome::found, i};
  // Absolute URL or relative: the last two segments are Type/id.
  auto last = path.rfind('/');
  if (last == std::string_view::npos || last == 0) return {fhir::RefOutcome::dangling};
  auto prev = path.rfind('/', last - 1);
  const std::size_t type_start = prev == std::string_view::npos ? 0 : prev + 1;
  // The one '/' between them splits "Type/id" as the entry's type and id
  // were joined: an id or type holding a '/' never matched either way.
  const std::string_view type = path.substr(type_start, last - type_start);
  const std::string_view id = path.substr(last + 1);
  if (const std::uint32_t i = by_type_id(type, id); i != kEmpty) return {fhir::RefOutcome::found, i};
  return {fhir::RefOutcome::dangling};
}

}  // namespace chartlock::merge
