// SPDX-License-Identifier: Apache-2.0
// chartlock tool keygen: the tool's key pair, and its public half as the
// manifest's "keys" object.
#include <iostream>
#include <nlohmann/json.hpp>

#include "args.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "commands.hpp"
#include "key_io.hpp"

namespace chartlock::cli {
namespace {

constexpr const char* kUsage = R"(usage: chartlock tool keygen --out NAME [--force]

Makes the tool's keys: X25519 (share bundles are sealed to it) and Ed25519
(the relay lets only it fetch them), and writes
  NAME.key   the secret keys (mode 0600): the tool's backend fetches and
             opens with it - keep it private
  NAME.pub   the public keys: 'chartlock tool manifest --keys NAME.pub'
The same files as 'chartlock keygen' and the Node SDK's generateToolKeys().
Prints the manifest's "keys" object (JSON).

Options:
  --out NAME   path prefix of the two files
  --force      overwrite existing files
)";

}  // namespace

int cmd_tool_keygen(const Argv& argv) {
  return run_keygen(argv, kUsage, [](const crypto::PublicKeySet& keys) {
    const nlohmann::ordered_json manifest_keys = {{"x25519", crypto::base64url_encode(keys.x25519)},
                                                  {"ed25519", crypto::base64url_encode(keys.ed25519)}};
    std::cout << manifest_keys.dump() << "\n";
  });
}

}  // namespace chartlock::cli
