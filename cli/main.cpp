// SPDX-License-Identifier: Apache-2.0
// chartlock — the native command-line tool.
//
//   chartlock record FILE...        the normalized record as JSON
//   chartlock keygen --out NAME     X25519 + Ed25519 key pair files
//   chartlock share / ips           what a consent shares: for a tool, or as an IPS
//   chartlock seal / open           share bundles (format v1)
//   chartlock generate              synthetic patients (FHIR R4)
//   chartlock shl create|update|revoke    an IPS behind a SMART Health Link
//   chartlock tool keygen|manifest|fetch   the AI tool's side of a share
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ios>
#include <iostream>
#include <string>
#include <vector>

#include "args.hpp"
#include "chartlock/crypto/error.hpp"
#include "chartlock/diagnostic.hpp"
#include "chartlock/version.hpp"
#include "commands.hpp"
#include "file_io.hpp"
#include "persons_text.hpp"
#include "tool_failure.hpp"

namespace {

constexpr const char* kUsage = R"(usage: chartlock <command> [options]

Commands:
  record FILE...       read FHIR R4 JSON (Bundle, resource or NDJSON) and print
                       the normalized, merged record as JSON
  summary FILE...      explain the records: labs, vitals, conditions, insights
                       and questions, as JSON or Markdown
  persons FILE...      who the records are about: one person each, with keys
                       for --person
  keygen --out NAME    make a key pair: NAME.key (secret) and NAME.pub
  share                what a consent shares: preview it, or seal it for a tool
  ips                  what a consent shares as an International Patient
                       Summary for a clinician (FHIR document Bundle)
  shl                  share that IPS with a clinician as a SMART Health Link:
                       create, update, revoke
  seal                 seal files into a share bundle for a recipient
  open                 open and verify a share bundle
  generate             write synthetic patients as FHIR R4 bundles
  directory            make or search a provider directory (SMART brands)
  tool                 for an AI tool's backend: keygen, manifest, and fetch
                       what a patient shared from the relay
  version              print the version

Run 'chartlock <command> --help' for a command's options.
Exit status: 0 success, 1 an I/O failure, 2 bad input or bad usage
('chartlock tool' has more codes: see 'chartlock tool --help').
)";

struct Command {
  const char* name;
  int (*run)(const chartlock::cli::Argv&);
};

const Command kCommands[] = {
    {"record", chartlock::cli::cmd_record},   {"keygen", chartlock::cli::cmd_keygen},
    {"summary", chartlock::cli::cmd_summary}, {"persons", chartlock::cli::cmd_persons},
    {"share", chartlock::cli::cmd_share},     {"ips", chartlock::cli::cmd_ips},
    {"seal", chartlock::cli::cmd_seal},       {"open", chartlock::cli::cmd_open},
    {"generate", chartlock::cli::cmd_generate}, {"directory", chartlock::cli::cmd_directory},
    {"tool", chartlock::cli::cmd_tool},       {"shl", chartlock::cli::cmd_shl},
};

}  // namespace

namespace chartlock::cli {

namespace {

// What a command printed with std::cout must have reached standard output (a
// full disk, a closed pipe): otherwise the command fails, exit 1.
// Said once: 'chartlock tool' runs its subcommands through run_command too.
int check_stdout(const std::string& name, int status) {
  static bool reported = false;
  if (reported) return status;
  std::cout.flush();
  const bool flushed = std::fflush(stdout) == 0;
  const int err = errno;
  if (flushed && std::cout && !std::ferror(stdout)) return status;
  reported = true;
  std::cerr << "chartlock " << name << ": cannot write standard output";
  if (!flushed) std::cerr << ": " << std::strerror(err);
  std::cerr << "\n";
  return status == exit_ok ? exit_io : status;
}

}  // namespace

int run_command(const std::string& name, int (*run)(const Argv&), const Argv& args) {
  try {
    return check_stdout(name, run(args));
  } catch (const UsageError& e) {
    std::cerr << "chartlock " << name << ": " << e.what() << " (see 'chartlock " << name << " --help')\n";
    return exit_bad_input;
  } catch (const ToolFailure& e) {
    std::cerr << "chartlock " << name << ": " << e.what() << "\n";
    return e.code();
  } catch (const chartlock::IngestError& e) {
    std::cerr << "chartlock " << name << ": " << e.what() << "\n";
    return exit_bad_input;
  } catch (const chartlock::DifferentPersons& e) {
    std::cerr << "chartlock " << name << ": " << different_persons_text(e) << "\n";
    return exit_bad_input;
  } catch (const chartlock::crypto::Error& e) {
    std::cerr << "chartlock " << name << ": " << chartlock::crypto::to_string(e.code()) << ": " << e.what() << "\n";
    return exit_bad_input;
  } catch (const BadInput& e) {
    std::cerr << "chartlock " << name << ": " << e.what() << "\n";
    return exit_bad_input;
  } catch (const IoError& e) {
    std::cerr << "chartlock " << name << ": " << e.what() << "\n";
    return exit_io;
  } catch (const std::ios_base::failure& e) {  // not thrown by file_io; a last line of defence
    std::cerr << "chartlock " << name << ": I/O error: " << e.what() << "\n";
    return exit_io;
  } catch (const std::bad_alloc&) {
    std::cerr << "chartlock " << name << ": out of memory\n";
    return exit_io;
  }
}

}  // namespace chartlock::cli

int main(int argc, char** argv) {
  using namespace chartlock::cli;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::cout << kUsage;
    return argc < 2 ? exit_bad_input : exit_ok;
  }
  const std::string name = argv[1];
  if (name == "version" || name == "--version") {
    std::cout << "chartlock " << chartlock::version() << "\n";
    return exit_ok;
  }
  const Argv args(argv + 2, argv + argc);
  for (const Command& c : kCommands) {
    if (name == c.name) return run_command(name, c.run, args);
  }
  std::cerr << "chartlock: unknown command '" << name << "'\n\n" << kUsage;
  return exit_bad_input;
}
