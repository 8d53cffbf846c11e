// SPDX-License-Identifier: Apache-2.0
// Ingest: FHIR R4 JSON and C-CDA XML from several sources → one merged Record.
//
// Accepts, per source, a Bundle of any type (nested Bundles too), a single
// resource, NDJSON (one resource per line), a C-CDA document (XML, told
// by its first byte; chartlock/ccda.hpp), or SMART Health Cards (verified
// before their Bundle is read; chartlock/health_card.hpp). Each source is parsed with
// simdjson, read into the record model, its references resolved within the
// source, and its facts merged with those already read (same code, same time,
// same value → one item with provenance from both).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/ccda.hpp"
#include "chartlock/health_card.hpp"
#include "chartlock/json_limits.hpp"
#include "chartlock/persons.hpp"
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
  // detect: NDJSON when it is one resource per line, a SMART Health Card by
  // its shape (a .smart-health-card file also when said to be json). C-CDA
  // XML is told by its first byte ('<'), whatever this says.
  Format format = Format::detect;
  std::size_t padding = 0;  // allocated, readable bytes after `bytes`
};

// An input read in pieces (RecordBuilder::add_chunked), for one too large to
// hold whole: a bulk export of a gigabyte.
class ChunkReader {
 public:
  virtual ~ChunkReader() = default;
  // Copies up to `capacity` of the next bytes into `buffer` and says how
  // many; 0 only at the end. Throws to stop (the builder is then unchanged).
  virtual std::size_t read(char* buffer, std::size_t capacity) = 0;
  // Starts again from the first byte; false when it cannot (then a Bundle
  // is read whole rather than a chunk at a time).
  virtual bool rewind() { return false; }
};

struct ChunkedSource {
  std::string name;
  std::uint64_t size = 0;  // the input's size when known (checked against the limit first), else 0
  Source::Format format = Source::Format::detect;
  std::size_t chunk_bytes = std::size_t{1} << 20;  // read this much at a time
};

struct IngestOptions {
  JsonLimits limits;
  XmlLimits xml;  // for C-CDA sources (chartlock/ccda.hpp)
  // Keep each item's original JSON (Record items' `raw`). Needed to build
  // share bundles; costs about the input's size in memory.
  bool keep_raw = true;
  // Whose record to read (a key from find_persons) when the sources hold
  // several persons; empty: the sources must hold one (docs/persons.md).
  std::string person;
  // The keys SMART Health Cards are verified with. A card signed by no key
  // here, or whose signature does not verify, is refused (IngestError) unless
  // allow_unverified_cards; then it is read and every item says unverified.
  std::vector<CardKeys> card_keys;
  bool allow_unverified_cards = false;
};

// Reads every source into one person's record. Throws IngestError when a
// source cannot be read at all (not JSON, too large, too deep, not FHIR);
// problems inside a readable source become Record::warnings and the rest is
// kept. Throws DifferentPersons when the sources hold several persons and
// options.person does not choose one, UnknownPerson when it names none of them.
// Throws std::invalid_argument when options.card_keys holds a JWKS that is not
// one (crypto::jws::parse_jwks says why).
Record ingest(const std::vector<Source>& sources, const IngestOptions& options = {});

// The persons the sources hold (docs/persons.md): their Patients grouped, one
// Person per human being, with the sources of each.
std::vector<Person> find_persons(const std::vector<Source>& sources, const IngestOptions& options = {});

// Incremental form of ingest(): add sources one at a time.
class RecordBuilder {
 public:
  explicit RecordBuilder(IngestOptions options = {});
  ~RecordBuilder();
  RecordBuilder(RecordBuilder&&) noexcept;
  RecordBuilder& operator=(RecordBuilder&&) noexcept;
  RecordBuilder(const RecordBuilder&) = delete;
  RecordBuilder& operator=(const RecordBuilder&) = delete;

  // Throws IngestError; on throw, the builder is unchanged. Sources are kept
  // as read until finish(): whose each resource is, is known only then.
  void add(const Source& source);
  // add() for an input read in pieces. NDJSON (said, or told by its first
  // line as add() tells it) is read a run of whole lines at a time: beside
  // the record, memory holds one chunk and the line it ends inside (about
  // two chunks when no line is longer than one). A Bundle, when the input
  // can rewind, is read an entry at a time the same way; should it turn out
  // not to split as add() splits it (an entry that does not parse alone, an
  // envelope that is not a Bundle's, anything add() would report about the
  // Bundle itself), it is read again, whole. Anything else — a single
  // resource, C-CDA, a SMART Health Card — is read whole and added as add()
  // adds it. Same record, warnings and errors as add() on the whole input;
  // an input that turns out larger than limits.max_bytes is refused when
  // the limit is passed (too_large).
  void add_chunked(const ChunkedSource& source, ChunkReader& input);

  // The persons of the sources added so far.
  std::vector<Person> persons() const;
  // Finishes and returns one person's record (`person`: a key from
  // persons(); empty: the only one); the builder is then empty. Throws
  // DifferentPersons or UnknownPerson (then the builder is empty too).
  Record finish(const std::string& person = {});

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace chartlock
