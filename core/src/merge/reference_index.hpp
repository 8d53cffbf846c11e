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
// and reading their strings in place: a source of a million resources is
// indexed without a string copied, a node allocated or a table regrown
// (string-keyed hash maps were most of the time and the allocator's work
// of finishing a large record: docs/performance.md, fourth round). The
// entries, and the draft whose arena holds their texts, must outlive the
// index and stay unchanged.
class ReferenceIndex {
 public:
  // `text`: the arena that holds the entries' texts (their draft's).
  ReferenceIndex(const std::vector<fhir::ResourceEntry>& entries, const fhir::TextArena& text);
  explicit ReferenceIndex(const fhir::SourceDraft& draft) : ReferenceIndex(draft.entries, draft.text) {}
  // Over a temporary the index would read entries already destroyed.
  ReferenceIndex(std::vector<fhir::ResourceEntry>&&, const fhir::TextArena&) = delete;
  explicit ReferenceIndex(fhir::SourceDraft&&) = delete;

  struct Result {
    fhir::RefOutcome outcome;
    std::uint32_t entry = 0;  // into the entries, when found
  };
  Result find(std::string_view reference) const;

  // The longest run of occupied slots in either table: what a probe may
  // walk (tests: crafted ids must not make it long).
  std::size_t longest_run() const;

 private:
  static constexpr std::uint32_t kEmpty = 0xffffffffu;
  std::uint32_t by_full_url(std::string_view full_url) const;
  std::uint32_t by_type_id(std::string_view type, std::string_view id) const;

  const std::vector<fhir::ResourceEntry>& entries_;
  const fhir::TextArena& text_;
  std::size_t mask_ = 0;  // the tables hold mask_ + 1 slots (a power of two)
  std::vector<std::uint32_t> full_urls_;  // entry numbers by fullUrl, kEmpty where free; none without fullUrls
  std::vector<std::uint32_t> type_ids_;   // entry numbers by (type, id)
};

}  // namespace chartlock::merge
