// SPDX-License-Identifier: Apache-2.0
// TEST ONLY: the native side of tests/js/vault-interop.test.mjs, which checks
// that a vault made natively opens in wasm and the other way round. Reads
// and writes files; prints plaintext or the recovery key on stdout, and an
// error's code on stderr (exit 2).
//
//   chartlock_vault_interop create PASSPHRASE PLAINTEXT_FILE VAULT_OUT      → recovery key text
//   chartlock_vault_interop open PASSPHRASE VAULT                            → plaintext
//   chartlock_vault_interop open-recovery RECOVERY_TEXT VAULT                → plaintext
//   chartlock_vault_interop set-passphrase RECOVERY_TEXT NEW VAULT VAULT_OUT → (the same content, a new passphrase)
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/vault.hpp"

namespace crypto = chartlock::crypto;

namespace {

crypto::Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return crypto::Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, crypto::ByteView bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

void print(crypto::ByteView bytes) { std::cout.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())); }

// The floor: the cheapest parameters the product seals with.
constexpr crypto::VaultParams kFloor{crypto::kVaultSealOpsLimitFloor, crypto::kVaultSealMemLimitFloor};

}  // namespace

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  try {
    if (cmd == "create" && argc == 5) {
      const crypto::VaultCreated made = crypto::vault_create(argv[2], read_file(argv[3]), kFloor);
      write_file(argv[4], made.vault);
      const crypto::SecretString text = crypto::recovery_key_encode(made.recovery_key);
      std::cout << text.c_str() << "\n";
    } else if (cmd == "open" && argc == 4) {
      print(crypto::vault_open(argv[2], read_file(argv[3])));
    } else if (cmd == "open-recovery" && argc == 4) {
      print(crypto::vault_open_with_recovery_key(crypto::recovery_key_decode(argv[2]), read_file(argv[3])));
    } else if (cmd == "set-passphrase" && argc == 6) {
      const crypto::VaultUnlocked u = crypto::vault_unlock_with_recovery_key(crypto::recovery_key_decode(argv[2]), read_file(argv[4]));
      write_file(argv[5], crypto::vault_reseal(crypto::vault_change_passphrase(u.keys, argv[3], kFloor), u.plaintext));
    } else {
      std::cerr << "usage: chartlock_vault_interop create|open|open-recovery|set-passphrase …\n";
      return 64;
    }
  } catch (const crypto::Error& e) {
    std::cerr << crypto::to_string(e.code()) << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
