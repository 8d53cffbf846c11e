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
