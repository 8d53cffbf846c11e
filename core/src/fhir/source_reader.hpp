// SPDX-License-Identifier: Apache-2.0
// Reads one source (a Bundle of any type, a single resource, or NDJSON) into
// a SourceDraft: every resource found, read by its type's reader.
#pragma once

#include <simdjson.h>

#include "chartlock/ingest.hpp"
#include "fhir/source_draft.hpp"

namespace chartlock::fhir {

// Throws IngestError when the source as a whole cannot be read; per-resource
// problems go to `warnings`. Fills `summary` (format, bundle type, counts).
void read_source(const Source& source, const IngestOptions& options,
                 simdjson::dom::parser& parser, SourceDraft& draft, SourceSummary& summary,
                 std::map<std::string, std::uint64_t>& counts, std::vector<Diagnostic>& warnings);

}  // namespace chartlock::fhir
