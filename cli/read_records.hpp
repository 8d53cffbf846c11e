// SPDX-License-Identifier: Apache-2.0
// The FILE... arguments of record, summary, share, ips and persons: each file
// a source named by its path ("-" standard input), NDJSON with --ndjson, else
// detected (SMART Health Cards too, verified with --jwks); a folder is one bulk
// FHIR export (its *.ndjson files, one source).
#pragma once

#include "args.hpp"
#include "chartlock/ingest.hpp"

namespace chartlock::cli {

// The record of --person KEY when given (else of the only person there is).
Record read_records(const Args& args, IngestOptions options);
std::vector<Person> read_persons(const Args& args, const IngestOptions& options);

}  // namespace chartlock::cli
