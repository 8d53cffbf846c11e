// SPDX-License-Identifier: Apache-2.0
// chartlock record FILE... — the normalized, merged record as JSON.
#include <iostream>

#include "args.hpp"
#include "chartlock/ingest.hpp"
#include "chartlock/record_json.hpp"
#include "commands.hpp"
#include "file_io.hpp"
#include "read_records.hpp"

namespace chartlock::cli {

namespace {
constexpr const char* kHelp = R"(usage: chartlock record [options] FILE...

Reads FHIR R4 JSON — a Bundle of any type, a single resource, or NDJSON (one
resource per line) — from each FILE ('-' for standard input), merges the facts
the files share, and prints the normalized record as JSON (docs/record-schema.md).
Each FILE is one source; every item says which sources it came from. A folder
is one bulk FHIR export: its *.ndjson files (one per resource type) are read as
one source, so their references to each other resolve. A SMART Health Card (a
.smart-health-card file, its JWS text, or shc:/ QR text) is verified with the
issuer keys of --jwks, then its FHIR Bundle is read; each item names the
card's issuer and says it was verified.

Options:
  --pretty           indent the JSON
  --raw              include each item's original FHIR resource
  --ndjson           read every FILE as NDJSON (default: detect)
  --person KEY       the person to read when the files hold several ("chartlock persons")
  --jwks FILE        issuer keys (a JWKS, as at ISSUER/.well-known/jwks.json) to verify
                     SMART Health Cards with; repeatable
  --allow-unverified keep cards no key verifies (bad signature, unknown key), every
                     item marked unverified; without it such a card is an error
  --max-bytes N      refuse inputs larger than N bytes (default 536870912)
  --max-depth N      refuse JSON nested deeper than N (default 64)
  --max-resources N  refuse a source with more than N resources (default 1000000)
  -h, --help         show this help

Problems inside a file are listed under "warnings" and the rest is kept; a
file that is not JSON or not FHIR, or a card that does not verify or is
malformed, is an error (exit 2).
)";

}  // namespace

int cmd_record(const Argv& argv) {
  const Args args(argv, {{"--max-bytes", "--max-depth", "--max-resources", "--person", "--jwks"}, {"--pretty", "--raw", "--ndjson", "--allow-unverified", "--help", "-h"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kHelp;
    return exit_ok;
  }
  if (args.positional().empty()) throw UsageError("no input files");

  IngestOptions options;
  options.keep_raw = args.has("--raw");
  if (auto v = args.get("--max-bytes")) options.limits.max_bytes = static_cast<std::size_t>(parse_integer("--max-bytes", *v, 1, 1LL << 40));
  if (auto v = args.get("--max-depth")) options.limits.max_depth = static_cast<std::size_t>(parse_integer("--max-depth", *v, 1, 100000));
  if (auto v = args.get("--max-resources")) options.limits.max_resources = static_cast<std::size_t>(parse_integer("--max-resources", *v, 1, 1000000000));

  const Record record = read_records(args, options);
  RecordJsonOptions json_options;
  json_options.include_raw = args.has("--raw");
  std::string out = record_to_json_text(record, json_options, args.has("--pretty") ? 2 : -1);
  out.push_back('\n');
  write_file("-", out);
  if (!record.warnings.empty()) {
    std::cerr << "chartlock record: " << record.warnings.size()
              << " warning(s); see \"warnings\" in the output\n";
  }
  return exit_ok;
}

}  // namespace chartlock::cli
