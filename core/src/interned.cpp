// SPDX-License-Identifier: Apache-2.0
#include "chartlock/interned.hpp"

#include <deque>
#include <mutex>
#include <unordered_map>

#include "keyed_hash.hpp"

namespace chartlock {
namespace {

// The process-wide pool (the header says why one, and why capped). Strings
// live in a deque, which never moves an element it holds; the index's keys
// view them.
struct Pool {
  std::mutex mutex;
  std::deque<std::string> strings;
  std::unordered_map<std::string_view, const std::string*, KeyedStringHash> index;
};

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
    Pool& p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    auto it = p.index.find(s);
    if (it != p.index.end()) {
      p_ = reinterpret_cast<std::uintptr_t>(it->second);
      return;
    }
    if (p.strings.size() < kMaxEntries) {
      const std::string& kept = p.strings.emplace_back(s);
      p.index.emplace(std::string_view(kept), &kept);
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
