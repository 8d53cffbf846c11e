// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "chartlock/record.hpp"

namespace chartlock {

namespace {
constexpr std::size_t kMaxTexts = std::numeric_limits<std::uint32_t>::max();
}  // namespace

void Provenance::set_texts(std::string_view id, std::string_view full_url, std::string_view last_updated,
                           std::string_view pointer) {
  const std::string_view parts[kTexts] = {id, full_url, last_updated, pointer};
  std::size_t size = 0;
  for (const std::string_view part : parts) size += part.size();
  if (size > kMaxTexts) throw std::length_error("a resource's id, fullUrl and pointer are too long");
  // Built aside, at its exact size: a part may be a view into texts_ itself.
  std::string texts;
  texts.reserve(size);
  for (std::size_t i = 0; i < kTexts; ++i) {
    texts.append(parts[i]);
    if (i < kPointer) ends_[i] = static_cast<std::uint32_t>(texts.size());
  }
  texts_ = std::move(texts);
}

void Provenance::replace(std::size_t i, std::string_view v) {
  const std::size_t old_size = end(i) - begin(i);
  if (texts_.size() - old_size + v.size() > kMaxTexts) {
    throw std::length_error("a resource's id, fullUrl and pointer are too long");
  }
  texts_.replace(begin(i), old_size, v.data(), v.size());  // std::string::replace copes with v inside texts_
  for (std::size_t j = i; j < kPointer; ++j) {
    ends_[j] = static_cast<std::uint32_t>(ends_[j] - old_size + v.size());
  }
}

}  // namespace chartlock
