// SPDX-License-Identifier: Apache-2.0
// Finds what a reference points at within one source. References come as
// urn:uuid (Bundle-local fullUrls), relative "Type/id", absolute URLs, with or
// without "/_history/n"; each source is its own namespace ("Observation/1"
// from two providers are two different resources).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fhir/source_draft.hpp"

namespace chartlock::merge {

class ReferenceIndex {
 public:
  explicit ReferenceIndex(const std::vector<fhir::ResourceEntry>& entries);

  enum class Outcome { found, dangling, conditional };
  struct Result {
    Outcome outcome;
    std::size_t entry = 0;  // into the entries, when found
  };
  Result find(std::string_view reference) const;

 private:
  std::unordered_map<std::string, std::size_t> by_full_url_;
  std::unordered_map<std::string, std::size_t> by_type_id_;
};

}  // namespace chartlock::merge
