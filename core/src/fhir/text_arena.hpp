// SPDX-License-Identifier: Apache-2.0
// An append-only store for the short texts a source's draft keeps until its
// links are resolved (ids, fullUrls, references, their JSON Pointers): the
// characters packed into blocks that never move, so a view it hands out stays
// valid until the store is cleared or destroyed, moves included. One heap
// block per 64 KiB of text instead of one per string over 15 characters,
// with no string header beside each (docs/performance.md, fifth round).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace chartlock::fhir {

class TextArena {
 public:
  TextArena() = default;
  TextArena(TextArena&&) noexcept = default;
  TextArena& operator=(TextArena&&) noexcept = default;
  // A copy would hand out views into the original's blocks.
  TextArena(const TextArena&) = delete;
  TextArena& operator=(const TextArena&) = delete;

  // A copy of `s`, valid as long as the arena (the empty view for "").
  std::string_view add(std::string_view s);
  // The bytes of its blocks (tests, measurements).
  std::size_t capacity() const noexcept { return held_; }
  void clear() noexcept;

 private:
  static constexpr std::size_t kBlock = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;   // free space in the last ordinary block
  std::size_t left_ = 0;
  std::size_t held_ = 0;
};

}  // namespace chartlock::fhir
