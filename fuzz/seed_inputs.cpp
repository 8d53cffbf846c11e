// SPDX-License-Identifier: Apache-2.0
// fuzz_seed_inputs DIR: writes what scripts/fuzz needs to build the seed
// corpora and that no CLI command makes:
//   DIR/tool.key, tool.pub, patient.key, patient.pub   the fixed keys (fixed_keys.hpp)
//                                                      as key files, for `chartlock seal`
//   DIR/vault/*.vault                                   vaults of FILE... (and a few
//                                                      edge sizes) under the fixed
//                                                      passphrase and the cheapest
//                                                      Argon2id parameters: format 2
//                                                      with the fixed recovery key,
//                                                      format 2 without one, format 1
// Usage: fuzz_seed_inputs DIR [FILE...]
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "chartlock/crypto/vault.hpp"
#include "fixed_keys.hpp"

namespace {

using namespace chartlock;

void write_file(const std::string& path, const void* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) throw std::runtime_error("cannot write " + path);
}

void write_keys(const std::string& dir, const std::string& name, fuzz::Party party) {
  const crypto::KeySet keys = fuzz::fixed_keys(party);
  const crypto::SecretString secret = crypto::key_file_encode(keys);
  write_file(dir + "/" + name + ".key", secret.data(), secret.size());
  std::filesystem::permissions(dir + "/" + name + ".key",
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const std::string pub = crypto::public_key_file_encode(crypto::keyset_public(keys));
  write_file(dir + "/" + name + ".pub", pub.data(), pub.size());
}

// Random salt, nonces and content key; the fixed recovery key.
void randomize(crypto::testing::VaultRandom& r) {
  const crypto::RecoveryKey salt_and_nonces[3] = {crypto::recovery_key_generate(), crypto::recovery_key_generate(),
                                                  crypto::recovery_key_generate()};
  std::copy(salt_and_nonces[0].data(), salt_and_nonces[0].data() + r.salt.size(), r.salt.begin());
  std::copy(salt_and_nonces[1].data(), salt_and_nonces[1].data() + r.passphrase_nonce.size(), r.passphrase_nonce.begin());
  std::copy(salt_and_nonces[2].data(), salt_and_nonces[2].data() + r.recovery_nonce.size(), r.recovery_nonce.begin());
  const crypto::RecoveryKey content = crypto::recovery_key_generate();
  std::copy(content.data(), content.data() + content.size(), r.content_key.data());
  r.recovery_key = fuzz::fixed_recovery_key();
}

void write_vault(const std::string& path, const crypto::Bytes& plaintext) {
  crypto::VaultParams params;
  params.opslimit = crypto::kVaultOpsLimitMin;  // what fuzz_vault_open accepts
  params.memlimit = crypto::kVaultMemLimitMin;
  // Seeds at the minimum, below the floor a patient's vault is sealed with:
  // fuzz_vault_open must stay fast (it opens whatever its parameters say).
  crypto::testing::allow_vault_params_below_floor(true);
  // Format 2 with the fixed recovery key (the rest random), so that the
  // target's recovery-key opening gets past the check too.
  crypto::testing::VaultRandom random;
  randomize(random);
  const crypto::Bytes v2 = crypto::testing::vault_create_with(random, fuzz::kVaultPassphrase, plaintext, params).vault;
  write_file(path + ".vault", v2.data(), v2.size());
  const crypto::Bytes without = crypto::vault_seal(fuzz::kVaultPassphrase, plaintext, params);
  write_file(path + "-no-recovery.vault", without.data(), without.size());
  const crypto::Bytes v1 = crypto::testing::vault_seal_v1(fuzz::kVaultPassphrase, plaintext, params);
  write_file(path + "-v1.vault", v1.data(), v1.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: fuzz_seed_inputs DIR [FILE...]\n";
    return 2;
  }
  try {
    const std::string dir = argv[1];
    std::filesystem::create_directories(dir + "/vault");
    write_keys(dir, "tool", fuzz::Party::tool);
    write_keys(dir, "patient", fuzz::Party::patient);
    // Sizes around the 64 KiB chunk: empty, one byte, one chunk exactly, one more.
    write_vault(dir + "/vault/empty", {});
    write_vault(dir + "/vault/one-byte", crypto::Bytes{'{'});
    write_vault(dir + "/vault/one-chunk", crypto::Bytes(crypto::kVaultChunkSize, 'x'));
    write_vault(dir + "/vault/chunk-and-one", crypto::Bytes(crypto::kVaultChunkSize + 1, 'y'));
    for (int i = 2; i < argc; ++i) {
      std::ifstream in(argv[i], std::ios::binary);
      const crypto::Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!in.good() && !in.eof()) throw std::runtime_error(std::string("cannot read ") + argv[i]);
      write_vault(dir + "/vault/input-" + std::to_string(i - 1), bytes);
    }
  } catch (const std::exception& e) {
    std::cerr << "fuzz_seed_inputs: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
