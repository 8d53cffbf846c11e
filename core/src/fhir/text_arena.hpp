// SPDX-License-Identifier: Apache-2.0
// An append-only store for the short texts a source's draft keeps until its
// links are resolved (ids, fullUrls, references, their JSON Pointers): the
// characters packed into blocks that never move, each text behind its length
// and named by a 32-bit handle (its block and place in it) rather than a
// 16-byte view: a million-resource export's index holds five of them a
// resource and reference (docs/performance.md, fifth round). One heap block
// per 64 KiB of text instead of one per string over 15 characters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace chartlock::fhir {

// A text in a TextArena: the empty text unless the arena handed it out.
struct TextHandle {
  static constexpr std::uint32_t kEmpty = 0xffffffffu;
  std::uint32_t at = kEmpty;  // block << 16 | offset of the length in it
  bool empty() const noexcept { return at == kEmpty; }
  friend bool operator==(TextHandle x, TextHandle y) noexcept { return x.at == y.at; }
  friend bool operator!=(TextHandle x, TextHandle y) noexcept { return x.at != y.at; }
};

class TextArena {
 public:
  TextArena() = default;
  // A moved-from arena is empty (its position too: a default move would
  // leave left_ > 0 over no blocks, and the next add() would write there).
  TextArena(TextArena&& other) noexcept { *this = std::move(other); }
  TextArena& operator=(TextArena&& other) noexcept {
    if (this != &other) {
      blocks_ = std::move(other.blocks_);
      last_ = std::exchange(other.last_, 0);
      used_ = std::exchange(other.used_, 0);
      left_ = std::exchange(other.left_, 0);
      held_ = std::exchange(other.held_, 0);
      other.blocks_.clear();
    }
    return *this;
  }
  TextArena(const TextArena&) = delete;  // a draft's texts are held once
  TextArena& operator=(const TextArena&) = delete;

  // A copy of `s` (the empty handle for ""). Throws std::length_error past
  // 65,536 blocks (4 GiB of text; the input limits stop a source far earlier).
  TextHandle add(std::string_view s);
  // Its characters, valid until the arena is cleared or destroyed. Inline:
  // the reference index reads a text at every probe.
  std::string_view operator[](TextHandle h) const noexcept {
    if (h.empty()) return {};
    const char* at = blocks_[h.at >> 16].get() + (h.at & 0xffff);
    const auto first = static_cast<unsigned char>(*at);
    if (first < 0x80) return {at + 1, first};
    return long_text(at);
  }
  // The bytes of its blocks (tests, measurements).
  std::size_t capacity() const noexcept { return held_; }
  void clear() noexcept;

 private:
  static std::string_view long_text(const char* at) noexcept;  // a length of two bytes or more

  static constexpr std::size_t kBlock = 64 * 1024;  // an offset in one is 16 bits
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::uint32_t last_ = 0;  // the ordinary block in use (when left_ > 0)
  std::size_t used_ = 0;    // its bytes used
  std::size_t left_ = 0;
  std::size_t held_ = 0;
};

}  // namespace chartlock::fhir
