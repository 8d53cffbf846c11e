// SPDX-License-Identifier: Apache-2.0
#include "fhir/seen_resources.hpp"

#include <cassert>
#include <cstring>

#include "keyed_hash.hpp"

namespace chartlock::fhir {

std::uint64_t SeenResources::hash(const Key& k) { return KeyedHash().add(k.a).add(k.b).add(k.c).value(); }

bool SeenResources::same(const Key& x, const Key& y) {
  if (x.size() != y.size()) return false;
  const std::string_view xs[3] = {x.a, x.b, x.c};
  const std::string_view ys[3] = {y.a, y.b, y.c};
  std::size_t xi = 0, yi = 0, xo = 0, yo = 0;  // piece, offset in it
  for (;;) {
    while (xi < 3 && xo == xs[xi].size()) ++xi, xo = 0;
    while (yi < 3 && yo == ys[yi].size()) ++yi, yo = 0;
    if (xi == 3 || yi == 3) return xi == 3 && yi == 3;
    const std::size_t n = std::min(xs[xi].size() - xo, ys[yi].size() - yo);
    if (std::memcmp(xs[xi].data() + xo, ys[yi].data() + yo, n) != 0) return false;
    xo += n;
    yo += n;
  }
}

SeenResources::Key SeenResources::key_of(std::uint32_t entry) const {
  const ResourceTexts t = draft_.texts(entry);
  return key(t.type, t.id, t.full_url);
}

std::uint32_t SeenResources::find(const Key& k, std::uint64_t hash_of_k) const {
  if (slots_.empty()) return kNone;
  const std::size_t mask = slots_.size() - 1;
  const std::uint8_t tag = tag_of(hash_of_k);
  for (std::size_t at = static_cast<std::uint32_t>(hash_of_k) & mask;; at = (at + 1) & mask) {
    const std::uint8_t t = tags_[at];
    if (t == 0) return kNone;
    if (t == tag && same(key_of(slots_[at]), k)) return slots_[at];
  }
}

void SeenResources::insert(std::uint32_t entry) { insert(entry, hash(key_of(entry))); }

void SeenResources::insert(std::uint32_t entry, std::uint64_t hash_of_key) {
  const Key k = key_of(entry);
  if (k.size() == 0) return;
  assert(hash_of_key == hash(k));
  if (2 * (count_ + 1) > slots_.size()) grow();  // at most half full: probes stay short
  const std::size_t mask = slots_.size() - 1;
  const std::uint8_t tag = tag_of(hash_of_key);
  for (std::size_t at = static_cast<std::uint32_t>(hash_of_key) & mask;; at = (at + 1) & mask) {
    if (tags_[at] == 0) {
      slots_[at] = entry;
      tags_[at] = tag;
      if (hashes_.size() <= entry) hashes_.resize(std::size_t{entry} + 1);
      hashes_[entry] = static_cast<std::uint32_t>(hash_of_key);
      ++count_;
      return;
    }
    if (tags_[at] == tag && same(key_of(slots_[at]), k)) return;  // the first one stays
  }
}

void SeenResources::grow() {
  std::vector<std::uint32_t> old = std::move(slots_);
  slots_.assign(tags_.empty() ? 1024 : 2 * tags_.size(), kEmpty);
  tags_.assign(slots_.size(), 0);
  const std::size_t mask = slots_.size() - 1;
  // Placed by their kept hashes: their keys, read from their items (spread
  // over a large source's memory), are neither read nor hashed again.
  for (std::uint32_t i : old) {
    if (i == kEmpty) continue;
    const std::uint32_t h = hashes_[i];
    std::size_t at = h & mask;
    while (tags_[at] != 0) at = (at + 1) & mask;
    slots_[at] = i;
    tags_[at] = tag_of(h);
  }
}

}  // namespace chartlock::fhir
