// SPDX-License-Identifier: Apache-2.0
// Which resources a source has read already (a resource listed twice, on two
// search pages or by an _include, is read once), by "Type/id", or by fullUrl
// for one without an id: one key space, as a set of those strings would be.
// An open-addressing table of entry numbers over the draft's entries, whose
// texts are their items' (or the draft's arena): 14 to 24 bytes a resource
// (a slot and its tag byte, the table a quarter to half full, and 32 bits of
// its hash) instead of a string and a hash node each (docs/performance.md,
// fifth round).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "fhir/source_draft.hpp"

namespace chartlock::fhir {

class SeenResources {
 public:
  // A resource's key: "Type/id" as three pieces, or a fullUrl as one.
  struct Key {
    std::string_view a, b, c;
    std::size_t size() const { return a.size() + b.size() + c.size(); }
  };
  static Key key(std::string_view type, std::string_view id, std::string_view full_url) {
    return id.empty() ? Key{full_url, {}, {}} : Key{type, "/", id};
  }

  // The draft, whose entries' texts it reads, must outlive the set; it may grow.
  explicit SeenResources(const SourceDraft& draft) : draft_(draft) {}
  explicit SeenResources(SourceDraft&&) = delete;

  // The keyed hash of a key (SipHash: keys come from the input). A reader
  // that asks contains() and then inserts the same resource hashes it once.
  static std::uint64_t hash(const Key& k);
  bool contains(const Key& k) const { return contains(k, hash(k)); }
  bool contains(const Key& k, std::uint64_t hash_of_k) const { return find(k, hash_of_k) != kNone; }
  // The entry held under `k` (the first inserted), or kNone.
  static constexpr std::uint32_t kNone = 0xffffffffu;
  std::uint32_t find(const Key& k) const { return find(k, hash(k)); }
  std::uint32_t find(const Key& k, std::uint64_t hash_of_k) const;
  // Adds the draft's entries[entry], the resource just read, under its key (none when
  // it has neither an id nor a fullUrl); `hash_of_key`, when given, is
  // hash(key) of that entry's key.
  void insert(std::uint32_t entry);
  void insert(std::uint32_t entry, std::uint64_t hash_of_key);

  // Whether two keys are the same characters (tests).
  static bool same(const Key& x, const Key& y);

 private:
  static constexpr std::uint32_t kEmpty = kNone;
  // A key's first slot and its tag come from the low 32 bits of its hash,
  // which are kept per entry (hashes_): growing places the entries again
  // without reading nor hashing their keys. Above 2^25 slots the tag shares
  // bits with the slot, which only makes probes compare more keys.
  static std::uint8_t tag_of(std::uint64_t h) {
    return static_cast<std::uint8_t>(0x80 | (static_cast<std::uint32_t>(h) >> 25));
  }
  Key key_of(std::uint32_t entry) const;
  void grow();

  const SourceDraft& draft_;
  std::vector<std::uint32_t> slots_;  // entry numbers, kEmpty where free
  // Per slot, 0x80 and 7 bits of its key's hash (0 where free): a probe
  // reads a held key, from its item, only when these match — each read is
  // a few cache misses into a large source's items.
  std::vector<std::uint8_t> tags_;
  // By entry number: the low 32 bits of the hash of each entry's key (0 past
  // the last entry inserted and where an entry has none).
  std::vector<std::uint32_t> hashes_;
  std::size_t count_ = 0;
};

}  // namespace chartlock::fhir
