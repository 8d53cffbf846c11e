// SPDX-License-Identifier: Apache-2.0
// Keys fixed for fuzzing. The targets and the seed corpus (scripts/fuzz,
// seed_inputs.cpp) must use the same ones, or no seed bundle would open in
// the target and the fuzzer would never get past the first check. Test keys
// derived from constant seeds: never use them for anything else.
#pragma once

#include "chartlock/crypto/jwe.hpp"
#include "chartlock/crypto/key_file.hpp"
#include "chartlock/crypto/vault.hpp"

namespace chartlock::fuzz {

enum class Party { tool = 1, patient = 2, stranger = 3 };

// The party's X25519 and Ed25519 keys, the same on every run.
crypto::KeySet fixed_keys(Party party);

// The passphrase of the seed vaults.
inline constexpr const char* kVaultPassphrase = "correct horse battery staple";

// The recovery key of the seed vaults (format 2): 32 bytes of 0x5a.
inline crypto::RecoveryKey fixed_recovery_key() {
  crypto::RecoveryKey key;
  for (std::size_t i = 0; i < key.size(); ++i) key.data()[i] = 0x5a;
  return key;
}

// The key of the seed JWEs (fuzz/seeds/jwe/): 32 bytes of 0x4a.
inline crypto::JweKey fixed_jwe_key() {
  crypto::JweKey key;
  for (std::size_t i = 0; i < key.size(); ++i) key.data()[i] = 0x4a;
  return key;
}

}  // namespace chartlock::fuzz
