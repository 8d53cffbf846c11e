// SPDX-License-Identifier: Apache-2.0
// chartlock keygen: a key pair for sealing or receiving share bundles.
#include <iostream>

#include "args.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "commands.hpp"
#include "key_io.hpp"

namespace chartlock::cli {
namespace {

constexpr const char* kUsage = R"(usage: chartlock keygen --out NAME [--force]

Makes an X25519 key pair (to receive bundles) and an Ed25519 key pair (to sign
them) and writes:
  NAME.key   the secret keys (mode 0600) - keep it private
  NAME.pub   the public keys - give it to the other side
The public keys are also printed.

Options:
  --out NAME   path prefix of the two files
  --force      overwrite existing files
)";

}  // namespace

int run_keygen(const Argv& argv, const char* usage, void (*print)(const crypto::PublicKeySet&)) {
  const Args args(argv, ArgSpec{{"--out"}, {"--help", "--force"}});
  if (args.has("--help")) {
    std::cout << usage;
    return exit_ok;
  }
  if (!args.positional().empty()) throw UsageError("unexpected argument " + args.positional()[0]);
  const std::string name = args.require("--out");
  print(write_new_key_files(name, args.has("--force")));
  std::cerr << "wrote " << name << ".key (secret) and " << name << ".pub\n";
  return exit_ok;
}

int cmd_keygen(const Argv& argv) {
  return run_keygen(argv, kUsage, [](const crypto::PublicKeySet& keys) {
    std::cout << "x25519  " << crypto::base64url_encode(keys.x25519) << "\n"
              << "ed25519 " << crypto::base64url_encode(keys.ed25519) << "\n";
  });
}

}  // namespace chartlock::cli
