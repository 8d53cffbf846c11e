// SPDX-License-Identifier: Apache-2.0
#include "chartlock/interned.hpp"

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <unordered_map>

#include "json/same_key.hpp"
#include "keyed_hash.hpp"
#include "text/load.hpp"

namespace chartlock {
namespace {

// The process-wide pool (the header says why one, and why capped). Strings
// live in a deque, which never moves an element it holds; the index's keys
// view them.
// In front of the index, the strings last found, one per slot of a small
// direct-mapped table under an unkeyed hash of a few of their bytes: codes,
// systems and units repeat thousands of times in a record, and the index's
// keyed hash (SipHash over every byte) cost more than the rest of the
// lookup. A slot is checked by comparing the whole string, so a chosen
// collision can only make a miss, which goes on to the keyed index.
// The table of recent strings is each thread's own, so that a string found
// there (most of them) costs no lock: the strings it points at are the
// pool's, which never moves nor frees one.
struct Pool {
  static constexpr unsigned kRecentBits = 10;
  std::mutex mutex;
  std::deque<std::string> strings;
  std::unordered_map<std::string_view, const std::string*, KeyedStringHash> index;
};
using Recent = std::array<const std::string*, std::size_t{1} << Pool::kRecentBits>;
thread_local Recent recent_found{};

// The length and the first and last eight bytes (fewer, shorter strings).
std::size_t recent_slot(std::string_view s) {
  std::uint64_t h = s.size();
  if (s.size() >= 8) {
    h ^= text::load<std::uint64_t>(s.data()) * 0x9E3779B97F4A7C15ULL;
    h ^= text::load<std::uint64_t>(s.data() + s.size() - 8) * 0xC2B2AE3D27D4EB4FULL;
  } else if (s.size() >= 4) {
    h ^= text::load_ends4(s.data(), s.size()) * 0x9E3779B97F4A7C15ULL;
  } else {
    for (const char c : s) h = (h << 8 | static_cast<unsigned char>(c)) * 0x100000001B3ULL;
  }
  h ^= h >> 29;
  return static_cast<std::size_t>(h * 0xBF58476D1CE4E5B9ULL >> (64 - Pool::kRecentBits));
}

Pool& pool() {
  static Pool* p = new Pool;  // never destroyed: values may outlive static destructors
  return *p;
}

}  // namespace

const std::string& Interned::empty_string() noexcept {
  static const std::string empty;
  return empty;
}

std::size_t Interned::pool_size() {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mutex);
  return p.strings.size();
}

void Interned::assign(std::string_view s) {
  if (s.empty()) return;
  if (s.size() <= kMaxLength) {
    const std::string*& recent = recent_found[recent_slot(s)];
    // same_key: the lengths, then a few loads; no memcmp call for the short
    // codes and units (in wasm a call per compare into the module's memcmp).
    if (recent != nullptr && json::same_key(*recent, s)) {
      p_ = reinterpret_cast<std::uintptr_t>(recent);
      return;
    }
    Pool& p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    auto it = p.index.find(s);
    if (it != p.index.end()) {
      recent = it->second;
      p_ = reinterpret_cast<std::uintptr_t>(it->second);
      return;
    }
    if (p.strings.size() < kMaxEntries) {
      const std::string& kept = p.strings.emplace_back(s);
      p.index.emplace(std::string_view(kept), &kept);
      recent = &kept;
      p_ = reinterpret_cast<std::uintptr_t>(&kept);
      return;
    }
  }
  p_ = reinterpret_cast<std::uintptr_t>(new std::string(s)) | 1;
}

void Interned::copy_from(const Interned& o) {
  if (o.p_ & 1) {
    p_ = reinterpret_cast<std::uintptr_t>(new std::string(o.str())) | 1;
  } else {
    p_ = o.p_;
  }
}

}  // namespace chartlock
