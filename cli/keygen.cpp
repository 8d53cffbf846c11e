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

int cmd_keygen(const Argv& argv) {
  const Args args(argv, ArgSpec{{"--out"}, {"--help", "--force"}});
  if (args.has("--help")) {
    std::cout << kUsage;
    return exit_ok;
  }
  if (!args.positional().empty()) throw UsageError("unexpected argument " + args.positional()[0]);
  const std::string name = args.require("--out");
  const crypto::PublicKeySet keys = write_new_key_files(name, args.has("--force"));
  std::cout << "x25519  " << crypto::base64url_encode(keys.x25519) << "\n"
            << "ed25519 " << crypto::base64url_encode(keys.ed25519) << "\n";
  std::cerr << "wrote " << name << ".key (secret) and " << name << ".pub\n";
  return exit_ok;
}

}  // namespace chartlock::cli
