// SPDX-License-Identifier: Apache-2.0
#include "fhir/text_arena.hpp"

#include <cstring>

namespace chartlock::fhir {

std::string_view TextArena::add(std::string_view s) {
  if (s.empty()) return {};
  if (s.size() > kBlock / 4) {
    // A long text (a hostile id, a data: URL as a reference) gets a block of
    // its own, so the ordinary block in use keeps its free space.
    auto own = std::make_unique<char[]>(s.size());
    std::memcpy(own.get(), s.data(), s.size());
    const std::string_view view(own.get(), s.size());
    blocks_.push_back(std::move(own));
    held_ += s.size();
    return view;
  }
  if (s.size() > left_) {
    blocks_.push_back(std::make_unique<char[]>(kBlock));
    next_ = blocks_.back().get();
    left_ = kBlock;
    held_ += kBlock;
  }
  std::memcpy(next_, s.data(), s.size());
  const std::string_view view(next_, s.size());
  next_ += s.size();
  left_ -= s.size();
  return view;
}

void TextArena::clear() noexcept {
  blocks_.clear();
  blocks_.shrink_to_fit();
  next_ = nullptr;
  left_ = 0;
  held_ = 0;
}

}  // namespace chartlock::fhir
