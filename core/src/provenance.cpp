// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "chartlock/record.hpp"

namespace chartlock {

namespace {
// Where the texts end is kept in 32 bits. (In wasm32 a size_t cannot exceed
// it, so the checks below only ever refuse on 64-bit builds.)
constexpr std::size_t kMaxTexts = std::numeric_limits<std::uint32_t>::max();
}  // namespace

void Provenance::set_texts(std::string_view id, std::string_view full_url, std::string_view last_updated,
                           std::string_view pointer) {
  const std::string_view parts[kTexts] = {id, full_url, last_updated, pointer};
  std::size_t size = 0;
  for (const std::string_view part : parts) size += part.size();
  if (size > kMaxTexts) throw std::length_error("a resource's id, fullUrl and pointer are too long");
  // Built aside, at its exact size: a part may be a view into packed_.texts itself.
  std::string texts;
  texts.reserve(size);
  for (std::size_t i = 0; i < kTexts; ++i) {
    texts.append(parts[i]);
    if (i < kPointer) packed_.ends[i] = static_cast<std::uint32_t>(texts.size());
  }
  packed_.texts = std::move(texts);
}

void Provenance::replace(std::size_t i, std::string_view v) {
  const std::size_t old_size = end(i) - begin(i);
  if (packed_.texts.size() - old_size + v.size() > kMaxTexts) {
    throw std::length_error("a resource's id, fullUrl and pointer are too long");
  }
  packed_.texts.replace(begin(i), old_size, v.data(), v.size());  // std::string::replace copes with v inside texts_
  for (std::size_t j = i; j < kPointer; ++j) {
    packed_.ends[j] = static_cast<std::uint32_t>(packed_.ends[j] - old_size + v.size());
  }
}

}  // namespace chartlock
