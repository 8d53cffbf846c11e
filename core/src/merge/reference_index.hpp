// SPDX-License-Identifier: Apache-2.0
// Finds what a reference points at within one source. References come as
// urn:uuid (Bundle-local fullUrls), relative "Type/id", absolute URLs, with or
// without "/_history/n"; each source is its own namespace ("Observation/1"
// from two providers are two different resources).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fhir/source_draft.hpp"

namespace chartlock::merge {

// Two open-addressing tables of entry numbers, sized once from the entries
// and reading their texts in place (the items' provenance, or the draft's
// arena): a source of a million resources is indexed without a string
// copied, a node allocated or a table regrown (string-keyed hash maps were
// most of the time and the allocator's work of finishing a large record:
// docs/performance.md, fourth round). The draft must outlive the index and
// stay unchanged.
class ReferenceIndex {
 public:
  explicit ReferenceIndex(const fhir::SourceDraft& draft);
  // Over a temporary the index would read entries already destroyed.
  explicit ReferenceIndex(fhir::SourceDraft&&) = delete;

  struct Result {
    fhir::RefOutcome outcome;
    std::uint32_t entry = 0;  // into the entries, when found
  };
  Result find(std::string_view reference) const;
  // Whether some entry has a fullUrl (find looks for one first).
  bool has_full_urls() const { return !full_urls_.empty(); }

  // The longest run of occupied slots in either table: what a probe may
  // walk (tests: crafted ids must not make it long).
  std::size_t longest_run() const;

 private:
  static constexpr std::uint32_t kEmpty = 0xffffffffu;
  std::uint32_t by_full_url(std::string_view full_url) const;
  std::uint32_t by_type_id(std::string_view type, std::string_view id) const;

  const fhir::SourceDraft& draft_;
  std::size_t mask_ = 0;  // the tables hold mask_ + 1 slots (a power of two)
  std::vector<std::uint32_t> full_urls_;  // entry numbers by fullUrl, kEmpty where free; none without fullUrls
  std::vector<std::uint32_t> type_ids_;   // entry numbers by (type, id)
  // Per slot of each table, 0x80 and 7 bits of its key's hash (0 where
  // free): an entry's texts, read from its item at a few cache misses each,
  // are compared only when these match.
  std::vector<std::uint8_t> full_url_tags_, type_id_tags_;
};

}  // namespace chartlock::merge
