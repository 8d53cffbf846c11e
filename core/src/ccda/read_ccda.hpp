// SPDX-License-Identifier: Apache-2.0
// One C-CDA document → a SourceDraft, as fhir::read_source does for JSON:
// the patient from recordTarget, an item per entry of the sections the model
// has lists for, and the sections' narrative as one note.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "chartlock/ingest.hpp"
#include "fhir/source_draft.hpp"

namespace chartlock::ccda {

// Throws IngestError when the source is not safe, well-formed XML
// (too-large, too-deep, unsafe-xml, malformed-xml) or not a C-CDA
// ClinicalDocument (not-ccda); problems inside a readable document become
// warnings. Fills `summary` (format "ccda", bundleType: the document's kind).
void read_source(const Source& source, const IngestOptions& options, fhir::SourceDraft& draft,
                 SourceSummary& summary, std::map<std::string, std::uint64_t>& counts,
                 std::vector<Diagnostic>& warnings);

}  // namespace chartlock::ccda
