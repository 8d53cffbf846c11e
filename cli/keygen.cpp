// chartlock keygen: a key pair for sealing or receiving share bundles.
#include <filesystem>
#include <iostream>

#include "args.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/key_file.hpp"
#include "commands.hpp"
#include "file_io.hpp"

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
  const std::string key_path = name + ".key";
  const std::string pub_path = name + ".pub";
  if (!args.has("--force")) {
    for (const std::string& path : {key_path, pub_path}) {
      if (std::filesystem::exists(path)) throw BadInput(path + " exists (use --force to overwrite it)");
    }
  }

  const crypto::KeySet keys = crypto::keyset_generate();
  const crypto::SecretString secret = crypto::key_file_encode(keys);
  std::string text(secret.data(), secret.size());  // write_file takes a std::string
  try {
    write_file(key_path, text, FileMode::secret);
  } catch (...) {
    crypto::wipe(text.data(), text.size());
    throw;
  }
  crypto::wipe(text.data(), text.size());
  write_file(pub_path, crypto::public_key_file_encode(crypto::keyset_public(keys)));

  std::cout << "x25519  " << crypto::base64url_encode(keys.x25519.public_key) << "\n"
            << "ed25519 " << crypto::base64url_encode(keys.ed25519.public_key) << "\n";
  std::cerr << "wrote " << key_path << " (secret) and " << pub_path << "\n";
  return exit_ok;
}

}  // namespace chartlock::cli
