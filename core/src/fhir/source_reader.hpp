// SPDX-License-Identifier: Apache-2.0
// Reads one source (a Bundle of any type, a single resource, or NDJSON) into
// a SourceDraft: every resource found, read by its type's reader.
#pragma once

#include <simdjson.h>

#include <memory>
#include <string>
#include <string_view>

#include "chartlock/ingest.hpp"
#include "fhir/source_draft.hpp"

namespace chartlock::fhir {

// Throws IngestError when the source as a whole cannot be read; per-resource
// problems go to `warnings`. Fills `summary` (format, bundle type, counts).
void read_source(const Source& source, const IngestOptions& options,
                 simdjson::dom::parser& parser, SourceDraft& draft, SourceSummary& summary,
                 std::map<std::string, std::uint64_t>& counts, std::vector<Diagnostic>& warnings);

// The error for an input over limits.max_bytes, refused before a byte is read.
IngestError too_large_input(const std::string& name, std::uint64_t bytes, const JsonLimits& limits);

// Whether a source starting with `head` is NDJSON, as read_source decides
// for Format::detect: `head` must hold the first line and something after it
// (or be the whole input).
bool looks_like_ndjson_start(std::string_view head, simdjson::dom::parser& parser,
                             const JsonLimits& limits);

// One NDJSON source read a run of lines at a time (RecordBuilder::add_chunked),
// exactly as read_source reads it whole: the same lines, numbers, warnings
// and limits. Warnings and the "more warnings" line are complete once it is
// destroyed.
class NdjsonStream {
 public:
  NdjsonStream(std::string name, const IngestOptions& options, simdjson::dom::parser& parser,
               SourceDraft& draft, SourceSummary& summary,
               std::map<std::string, std::uint64_t>& counts, std::vector<Diagnostic>& warnings);
  ~NdjsonStream();
  NdjsonStream(const NdjsonStream&) = delete;
  NdjsonStream& operator=(const NdjsonStream&) = delete;

  // `lines` ends where a line does (after its newline) or where the input
  // does; `padding` readable bytes follow it. Throws IngestError (too_large)
  // once more than options.limits.max_bytes have come, and as read_source.
  void read(std::string_view lines, std::size_t padding);
  // Counts bytes of the input that are not read (a byte order mark).
  void skip(std::size_t bytes);

 private:
  struct State;
  const IngestOptions& options_;
  simdjson::dom::parser& parser_;
  SourceSummary& summary_;
  std::unique_ptr<State> state_;
};

// A Bundle read an entry at a time (RecordBuilder::add_chunked, with
// json::ArraySplitter), as read_source reads it split: its entries as they
// come, its envelope once the input has ended. False from either means the
// input must be read whole instead (read_source then decides, errors and
// all): an entry that does not parse alone, an envelope that is not a
// Bundle's or that has something to say. Throws IngestError as read_source.
class BundleStream {
 public:
  BundleStream(std::string name, const IngestOptions& options, simdjson::dom::parser& parser,
               SourceDraft& draft, SourceSummary& summary,
               std::map<std::string, std::uint64_t>& counts, std::vector<Diagnostic>& warnings);
  ~BundleStream();
  BundleStream(const BundleStream&) = delete;
  BundleStream& operator=(const BundleStream&) = delete;

  // The next element of the top-level "entry" array; `padding` readable bytes follow it.
  bool entry(std::string_view text, std::size_t padding);
  // The Bundle with its entry array emptied, and the input's size.
  bool finish(const std::string& envelope, std::uint64_t bytes);

 private:
  struct State;
  const IngestOptions& options_;
  simdjson::dom::parser& parser_;
  SourceDraft& draft_;
  SourceSummary& summary_;
  std::map<std::string, std::uint64_t>& counts_;
  std::unique_ptr<State> state_;  // null: the depth limit leaves no room to split
};

}  // namespace chartlock::fhir
