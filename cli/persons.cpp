// SPDX-License-Identifier: Apache-2.0
// chartlock persons FILE...: who the records are about. Also how the other
// commands say that their sources are more than one person.
#include <iostream>

#include <nlohmann/json.hpp>

#include "args.hpp"
#include "chartlock/ingest.hpp"
#include "commands.hpp"
#include "file_io.hpp"
#include "persons_text.hpp"
#include "read_records.hpp"

namespace chartlock::cli {

namespace {

constexpr const char* kHelp = R"(usage: chartlock persons [--pretty] [--ndjson] [--jwks FILE]... [--allow-unverified] FILE...

Reads FHIR R4 JSON and SMART Health Cards (--jwks, --allow-unverified) from
each FILE like 'chartlock record' and prints the
persons the records are about, as a JSON array: each with its key, name,
birthDate, gender, the Patient resources that are this person and the files
with their records. A file may hold several persons (a bulk export); several
files may hold one (providers of the same patient). Pass a key to 'record',
'summary' or 'share' as --person KEY to read that person alone.

How Patients are compared (names, birth date, sex, address, phone, email,
identifiers): docs/persons.md.
)";

}  // namespace

int cmd_persons(const Argv& argv) {
  const Args args(argv, {{"--jwks"}, {"--pretty", "--ndjson", "--allow-unverified", "--help", "-h"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kHelp;
    return exit_ok;
  }
  if (args.positional().empty()) throw UsageError("no input files");
  IngestOptions options;
  options.keep_raw = false;
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Person& p : read_persons(args, options)) {
    nlohmann::ordered_json patients = nlohmann::ordered_json::array();
    for (const PatientSource& s : p.patients) patients.push_back({{"source", s.source}, {"id", s.id}});
    out.push_back({{"key", p.key}, {"name", p.patient.name}, {"birthDate", p.patient.birthDate},
                   {"gender", p.patient.gender}, {"patients", patients}, {"sources", p.sources}});
  }
  std::cout << out.dump(args.has("--pretty") ? 2 : -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
            << "\n";
  return exit_ok;
}

}  // namespace chartlock::cli
