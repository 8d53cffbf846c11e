// SPDX-License-Identifier: Apache-2.0
// chartlock tool: the AI tool's side of a share - its keys, its manifest,
// and fetching what a patient shared (docs/tool-cli.md).
#include <iostream>

#include "commands.hpp"

namespace chartlock::cli {
namespace {

constexpr const char* kUsage = R"(usage: chartlock tool <command> [options]

For an AI tool's backend: the same steps as the Node SDK (@chartlock/tool).

Commands:
  keygen --out NAME   the tool's keys: NAME.key (secret) and NAME.pub
  manifest            write the tool manifest the tool's page passes to
                      Chartlock.connect() (name, origin, purpose, retention,
                      scopes, public keys)
  fetch               fetch a grant's bundle from the relay (signed GET),
                      open and verify it, print the FHIR Bundle or the
                      summary Markdown

Run 'chartlock tool <command> --help' for a command's options. Relays in
production are https:// (TLS with the system's CAs); http:// is for a relay
on this machine.

Exit status:
   0  success
   1  an I/O failure (writing the output)
   2  bad usage or input (options, grant id, URL, manifest fields)
   3  the tool's key file is unusable (missing, malformed, mismatched halves)
   4  the relay could not be reached: no connection, TLS failure, timeout
   5  401: the relay refused the request signature (clock skew, bad signature)
   6  403: the grant names another tool key
   7  404 unknown-grant: the relay has no such grant (or is not a relay)
   8  404 no-bundle: the grant is live but nothing was shared yet - try later
   9  410: the patient revoked the grant, or it expired - never again
  10  413, or an answer larger than --max-bytes
  11  429: rate limited - try again after the Retry-After the message gives
  12  any other relay answer (400, 500, 503, ...)
  13  the bundle did not open: the message names the check - tampered,
      wrong-recipient, wrong-signer, bad-signature, receipt-mismatch,
      expired, wrong-grant, stale-sequence, ...
The message (on stderr) says which, and never holds record contents.
)";

struct Subcommand {
  const char* name;
  int (*run)(const Argv&);
};

const Subcommand kSubcommands[] = {
    {"keygen", cmd_tool_keygen}, {"manifest", cmd_tool_manifest}, {"fetch", cmd_tool_fetch}};

}  // namespace

int cmd_tool(const Argv& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
    std::cout << kUsage;
    return argv.empty() ? exit_bad_input : exit_ok;
  }
  const Argv rest(argv.begin() + 1, argv.end());
  for (const Subcommand& c : kSubcommands) {
    if (argv[0] == c.name) return run_command(std::string("tool ") + c.name, c.run, rest);
  }
  std::cerr << "chartlock tool: unknown command '" << argv[0] << "'\n\n" << kUsage;
  return exit_bad_input;
}

}  // namespace chartlock::cli
