// Ingest: FHIR R4 JSON from several sources → one merged Record.
//
// Accepts, per source, a Bundle of any type (nested Bundles too), a single
// resource, or NDJSON (one resource per line). Each source is parsed with
// simdjson, read into the record model, its references resolved within the
// source, and its facts merged with those already read (same code, same time,
// same value → one item with provenance from both).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/json_limits.hpp"
#include "chartlock/record.hpp"

namespace chartlock {

// Bytes simdjson may read past the end of an input. A caller that can leave
// this much allocated slack after its buffer (and says so in Source::padding)
// saves ingest a full copy of the input.
inline constexpr std::size_t json_padding = 64;

struct Source {
  enum class Format { detect, json, ndjson };

  std::string name;        // shown in provenance and diagnostics
  std::string_view bytes;  // the input; must stay alive during ingest()
  Format format = Format::detect;  // detect: NDJSON when it is one resource per line
  std::size_t padding = 0;  // allocated, readable bytes after `bytes`
};

struct IngestOptions {
  JsonLimits limits;
  // Keep each item's original JSON (Record items' `raw`). Needed to build
  // share bundles; costs about the input's size in memory.
  bool keep_raw = true;
};

// Reads every source into one record. Throws IngestError when a source cannot
// be read at all (not JSON, too large, too deep, not FHIR); problems inside a
// readable source become Record::warnings and the rest is kept.
Record ingest(const std::vector<Source>& sources, const IngestOptions& options = {});

// Incremental form of ingest(): add sources one at a time.
class RecordBuilder {
 public:
  explicit RecordBuilder(IngestOptions options = {});
  ~RecordBuilder();
  RecordBuilder(RecordBuilder&&) noexcept;
  RecordBuilder& operator=(RecordBuilder&&) noexcept;
  RecordBuilder(const RecordBuilder&) = delete;
  RecordBuilder& operator=(const RecordBuilder&) = delete;

  // Throws IngestError; on throw, the record is unchanged.
  void add(const Source& source);
  // Finishes and returns the record; the builder is then empty.
  Record finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace chartlock
