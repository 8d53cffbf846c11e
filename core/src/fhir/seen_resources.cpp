// SPDX-License-Identifier: Apache-2.0
#include "fhir/seen_resources.hpp"

#include <algorithm>
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
  const ResourceEntry& e = entries_[entry];
  return key(e.type.view(), text_[e.id], text_[e.fullUrl]);
}

bool SeenResources::contains(const Key& k, std::uint64_t hash_of_k) const {
  if (slots_.empty()) return false;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash_of_k & mask;; at = (at + 1) & mask) {
    const std::uint32_t i = slots_[at];
    if (i == kEmpty) return false;
    if (same(key_of(i), k)) return true;
  }
}

void SeenResources::insert(std::uint32_t entry) { insert(entry, hash(key_of(entry))); }

void SeenResources::insert(std::uint32_t entry, std::uint64_t hash_of_key) {
  const Key k = key_of(entry);
  if (k.size() == 0) return;
  assert(hash_of_key == hash(k));
  if (2 * (count_ + 1) > slots_.size()) grow();  // at most half full: probes stay short
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash_of_key & mask;; at = (at + 1) & mask) {
    if (slots_[at] == kEmpty) {
      slots_[at] = entry;
      ++count_;
      return;
    }
    if (same(key_of(slots_[at]), k)) return;  // the first one stays
  }
}

void SeenResources::grow() {
  std::vector<std::uint32_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : 2 * old.size(), kEmpty);
  const std::size_t mask = slots_.size() - 1;
  for (std::uint32_t i : old) {
    if (i == kEmpty) continue;
    std::size_t at = hash(key_of(i)) & mask;
    while (slots_[at] != kEmpty) at = (at + 1) & mask;
    slots_[at] = i;
  }
}

}  // namespace chartlock::fhir
