// The FILE... arguments of record, summary and share read into one record:
// each file a source named by its path ("-" standard input), NDJSON with
// --ndjson, else detected.
#pragma once

#include "args.hpp"
#include "chartlock/ingest.hpp"

namespace chartlock::cli {

Record read_records(const Args& args, const IngestOptions& options);

}  // namespace chartlock::cli
