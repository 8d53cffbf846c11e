// SPDX-License-Identifier: Apache-2.0
#include "merge/reference_index.hpp"

#include <limits>
#include <stdexcept>

#include "fhir/reference_path.hpp"
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

ReferenceIndex::ReferenceIndex(const fhir::SourceDraft& draft) : draft_(draft) {
  const std::size_t entries = draft.entries.size();
  if (entries >= std::numeric_limits<std::uint32_t>::max() / 4) {
    throw std::length_error("too many resources to index");  // the resource limit stops far earlier
  }
  // At most half full: probes stay short.
  std::size_t slots = 16;
  while (slots < 2 * entries) slots *= 2;
  mask_ = slots - 1;
  type_ids_.assign(slots, kEmpty);
  type_id_tags_.assign(slots, 0);
  for (std::uint32_t i = 0; i < entries; ++i) {
    const fhir::ResourceTexts t = draft.texts(i);
    // First one wins: a resource repeated across search pages is the same one.
    if (!t.full_url.empty()) {
      // A source without fullUrls (NDJSON) gets no table for them: 5 bytes
      // a slot, 10 MiB for a million-resource export.
      if (full_urls_.empty()) full_urls_.assign(slots, kEmpty), full_url_tags_.assign(slots, 0);
      const std::uint64_t h = hash_url(t.full_url);
      for (std::size_t at = h & mask_;; at = (at + 1) & mask_) {
        if (full_url_tags_[at] == 0) {
          full_urls_[at] = i;
          full_url_tags_[at] = hash_tag(h);
          break;
        }
        if (full_url_tags_[at] == hash_tag(h) && draft.texts(full_urls_[at]).full_url == t.full_url) break;
      }
    }
    if (!t.id.empty()) {
      const std::uint64_t h = hash_type_id(t.type, t.id);
      for (std::size_t at = h & mask_;; at = (at + 1) & mask_) {
        if (type_id_tags_[at] == 0) {
          type_ids_[at] = i;
          type_id_tags_[at] = hash_tag(h);
          break;
        }
        if (type_id_tags_[at] != hash_tag(h)) continue;
        const fhir::ResourceTexts held = draft.texts(type_ids_[at]);
        if (held.type == t.type && held.id == t.id) break;
      }
    }
  }
}

std::uint32_t ReferenceIndex::by_full_url(std::string_view full_url) const {
  if (full_urls_.empty()) return kEmpty;
  const std::uint64_t h = hash_url(full_url);
  for (std::size_t at = h & mask_;; at = (at + 1) & mask_) {
    const std::uint8_t tag = full_url_tags_[at];
    if (tag == 0) return kEmpty;
    if (tag == hash_tag(h) && draft_.texts(full_urls_[at]).full_url == full_url) return full_urls_[at];
  }
}

std::uint32_t ReferenceIndex::by_type_id(std::string_view type, std::string_view id) const {
  const std::uint64_t h = hash_type_id(type, id);
  for (std::size_t at = h & mask_;; at = (at + 1) & mask_) {
    const std::uint8_t tag = type_id_tags_[at];
    if (tag == 0) return kEmpty;
    if (tag != hash_tag(h)) continue;
    const fhir::ResourceTexts held = draft_.texts(type_ids_[at]);
    if (held.type == type && held.id == id) return type_ids_[at];
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
  // Absolute URL or relative: the last two segments are Type/id. The one
  // '/' between them splits "Type/id" as the entry's type and id were
  // joined: an id or type holding a '/' never matched either way.
  const auto split = fhir::split_type_and_id(path);
  if (!split) return {fhir::RefOutcome::dangling};
  if (const std::uint32_t i = by_type_id(split->type, split->id); i != kEmpty) return {fhir::RefOutcome::found, i};
  return {fhir::RefOutcome::dangling};
}

}  // namespace chartlock::merge
