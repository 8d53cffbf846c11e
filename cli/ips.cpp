// SPDX-License-Identifier: Apache-2.0
// chartlock ips: the International Patient Summary a clinician would get.
// Reads the patient's records and a consent file, like 'chartlock share', and
// prints the IPS document Bundle the consent allows (docs/ips.md).
#include <iostream>

#include "args.hpp"
#include "chartlock/ingest.hpp"
#include "chartlock/ips.hpp"
#include "commands.hpp"
#include "consent_file.hpp"
#include "dates.hpp"
#include "file_io.hpp"
#include "ips_input.hpp"
#include "read_records.hpp"

namespace chartlock::cli {

namespace {

constexpr const char* kUsage = R"(usage: chartlock ips --consent CONSENT.json [options] FILE...

Reads FHIR R4 JSON from each FILE like 'chartlock record', applies the
patient's consent exactly as 'chartlock share' does (docs/consent.md: scopes,
categories, the patient, sensitive categories, dates, items removed) and
prints an International Patient Summary (HL7 FHIR IPS) of what it allows:
a FHIR R4 document Bundle, the Composition first, with the problem list,
allergies and medicines always (stated empty when there is nothing to say
or the patient did not share them) and immunizations, lab results, vital
signs and procedures when the consent shares them (docs/ips.md).

  --consent FILE   the consent (JSON)
  --today DATE     the document's date, YYYY-MM-DD (default: today, UTC);
                   the same files, consent and date give the same bytes
  --pretty         indent the JSON
  --ndjson         read every FILE as NDJSON (default: detect)
  --person KEY     the person whose records to use, when the files hold several
  --jwks FILE      issuer keys (a JWKS) to verify SMART Health Cards with; repeatable
  --allow-unverified  keep cards no key verifies, marked unverified (else exit 2)

Nothing is sent anywhere. Exit status: 0 success, 1 an I/O failure,
2 bad input or bad usage.
)";

}  // namespace

IpsDocument ips_from_args(const Args& args) {
  const std::string consent_path = args.require("--consent");
  if (args.positional().empty()) throw UsageError("no input files");

  ShareRequest request;
  request.consent = read_consent_file(consent_path);
  request.today = today_option(args);

  IngestOptions ingest_options;
  ingest_options.keep_raw = false;  // the IPS is rebuilt from the record
  return build_ips(read_records(args, ingest_options), request);
}

int cmd_ips(const Argv& argv) {
  const Args args(argv, ArgSpec{{"--consent", "--today", "--person", "--jwks"}, {"--pretty", "--ndjson", "--allow-unverified", "--help", "-h"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kUsage;
    return exit_ok;
  }
  const IpsDocument ips = ips_from_args(args);
  if (args.has("--pretty")) {
    std::cout << nlohmann::ordered_json::parse(ips.json).dump(2) << "\n";
  } else {
    std::cout << ips.json << "\n";
  }
  return exit_ok;
}

}  // namespace chartlock::cli
