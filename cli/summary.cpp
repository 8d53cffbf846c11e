// SPDX-License-Identifier: Apache-2.0
// chartlock summary FILE... — the records explained: labs against ranges with
// trends, vital signs, conditions, medicines, insights and questions.
#include <iostream>

#include "args.hpp"
#include "chartlock/ingest.hpp"
#include "chartlock/summary.hpp"
#include "chartlock/summary_json.hpp"
#include "chartlock/summary_markdown.hpp"
#include "commands.hpp"
#include "dates.hpp"
#include "file_io.hpp"
#include "read_records.hpp"

namespace chartlock::cli {

namespace {
constexpr const char* kHelp = R"(usage: chartlock summary [options] FILE...

Reads FHIR R4 JSON and SMART Health Cards from each FILE ('-' for standard
input) like 'chartlock record', merges the sources, and prints what the records mean: a plain-language
history, lab results and vital signs against their ranges with trends, the
problem list, medicines, allergies, immunizations, recent visits, insights with
their sources, and questions for the next appointment (docs/summary-schema.md).

Options:
  --format F      json (default) or markdown (the context for an AI tool)
  --today DATE    the date rules count from, YYYY-MM-DD (default: today, UTC)
  --pretty        indent the JSON
  --ndjson        read every FILE as NDJSON (default: detect)
  --person KEY    the person to read when the files hold several ("chartlock persons")
  --jwks FILE     issuer keys (a JWKS) to verify SMART Health Cards with; repeatable
  --allow-unverified  keep cards no key verifies, marked unverified (else exit 2)
  -h, --help      show this help

Everything is computed here, from the records and Chartlock's knowledge base;
nothing is sent anywhere. The summary explains; it is not a diagnosis.
)";

}  // namespace

int cmd_summary(const Argv& argv) {
  const Args args(argv, {{"--format", "--today", "--person", "--jwks"}, {"--pretty", "--ndjson", "--allow-unverified", "--help", "-h"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kHelp;
    return exit_ok;
  }
  if (args.positional().empty()) throw UsageError("no input files");
  const std::string format = args.get("--format").value_or("json");
  if (format != "json" && format != "markdown") throw UsageError("--format must be json or markdown");
  SummaryOptions options;
  options.today = today_option(args);

  IngestOptions ingest_options;
  ingest_options.keep_raw = false;  // the summary never needs the original resources
  const Record record = read_records(args, ingest_options);
  Summary summary;
  try {
    summary = summarize(record, options);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());  // a date that looks right but is not one (2021-02-30)
  }
  std::string out = format == "markdown" ? summary_to_markdown(summary)
                                         : summary_to_json_text(summary, args.has("--pretty") ? 2 : -1) + "\n";
  write_file("-", out);
  return exit_ok;
}

}  // namespace chartlock::cli
