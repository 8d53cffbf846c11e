// SPDX-License-Identifier: Apache-2.0
#include "fhir/text_arena.hpp"

#include <cstring>
#include <stdexcept>

namespace chartlock::fhir {

namespace {

// The length before the characters, seven bits a byte (one byte below 128).
std::size_t length_size(std::size_t n) {
  if (n < 0x80) return 1;
  std::size_t bytes = 1;
  while (n >>= 7) ++bytes;
  return bytes;
}

char* put_length(char* out, std::size_t n) {
  while (n >= 0x80) {
    *out++ = static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  *out++ = static_cast<char>(n);
  return out;
}

// A block left uninitialized (make_unique<char[]> zeroes it): only what
// add() writes is ever read, and zeroing 64 KiB a block was a memset of
// every text's bytes again.
std::unique_ptr<char[]> new_block(std::size_t size) { return std::unique_ptr<char[]>(new char[size]); }

}  // namespace

TextHandle TextArena::add(std::string_view s) {
  if (s.empty()) return {};
  if (s.size() < 0x80 && s.size() < left_) {
    // Most texts: a one-byte length, in the block in use.
    char* at = blocks_[last_].get() + used_;
    *at = static_cast<char>(s.size());
    std::memcpy(at + 1, s.data(), s.size());
    const TextHandle h{last_ << 16 | static_cast<std::uint32_t>(used_)};
    used_ += s.size() + 1;
    left_ -= s.size() + 1;
    return h;
  }
  const std::size_t need = length_size(s.size()) + s.size();
  if (blocks_.size() >= 0x10000 && (s.size() > kBlock / 4 || need > left_)) {
    throw std::length_error("too much text in one source's index");
  }
  std::uint32_t block;
  std::size_t offset;
  if (s.size() > kBlock / 4) {
    // A long text (a hostile id, a data: URL as a reference) gets a block of
    // its own, so the ordinary block in use keeps its free space.
    blocks_.push_back(new_block(need));
    held_ += need;
    block = static_cast<std::uint32_t>(blocks_.size() - 1);
    offset = 0;
  } else {
    if (need > left_) {
      blocks_.push_back(new_block(kBlock));
      last_ = static_cast<std::uint32_t>(blocks_.size() - 1);
      used_ = 0;
      left_ = kBlock;
      held_ += kBlock;
    }
    block = last_;
    offset = used_;
    used_ += need;
    left_ -= need;
  }
  char* at = blocks_[block].get() + offset;
  std::memcpy(put_length(at, s.size()), s.data(), s.size());
  return TextHandle{block << 16 | static_cast<std::uint32_t>(offset)};
}

std::string_view TextArena::long_text(const char* at) noexcept {
  std::size_t n = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(*at++);
    n |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if (byte < 0x80) break;
  }
  return {at, n};
}

void TextArena::clear() noexcept {
  blocks_.clear();
  blocks_.shrink_to_fit();
  last_ = 0;
  used_ = left_ = held_ = 0;
}

}  // namespace chartlock::fhir
