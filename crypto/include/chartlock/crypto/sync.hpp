// SPDX-License-Identifier: Apache-2.0
// Vault sync through the relay (docs/vault-format.md §11): everything a
// device needs to keep a vault in sync is derived from the vault's recovery
// key — the sync id the relay files copies under, the Ed25519 pair that signs
// the requests, and the key that seals the sync copy. The sync copy is the
// vault's plaintext under that key only: no passphrase slot, so a relay
// holding it has nothing to guess a passphrase against (the recovery key is
// 256 random bits).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "chartlock/crypto/bytes.hpp"
#include "chartlock/crypto/keys.hpp"
#include "chartlock/crypto/vault.hpp"

namespace chartlock::crypto {

inline constexpr std::uint8_t kSyncCopyVersion = 1;
inline constexpr std::size_t kSyncCopyHeaderSize = 49;
inline constexpr std::size_t kSyncIdSize = 32;
inline constexpr std::size_t kSyncKeySize = 32;

using SyncId = std::array<std::uint8_t, kSyncIdSize>;
using SyncKey = SecretArray<kSyncKeySize>;

// What a device keeps to sync (in the vault's own state), in place of the
// recovery key: whoever holds it can read and replace the sync copies, and
// nothing more (it opens no vault file and no backup).
struct SyncIdentity {
  SyncId id{};          // public: the relay's name for this vault's copies
  SignKeyPair signing;  // signs PUT/GET/DELETE /v1/sync/{id}; its public half is pinned by the first PUT
  SyncKey key;          // seals and opens the sync copy
};

// Each part is BLAKE2b-256 keyed with the recovery key over its own label.
SyncIdentity sync_identity(const RecoveryKey& recovery_key);
// The identity from its stored parts (the signing pair from its seed).
SyncIdentity sync_identity_from(const SyncId& id, const SecretArray<32>& signing_seed, const SyncKey& key);

// The identity as one text to keep in a vault's state (docs/vault-format.md
// §11.1): base64url of id || signing seed || sync key, 128 characters.
// Secret. decode: Error(malformed) for anything else, never echoing it.
inline constexpr std::size_t kSyncIdentityTextSize = 128;
SecretString sync_identity_encode(const SyncIdentity& identity);
SyncIdentity sync_identity_decode(std::string_view text);

// The sync id as the relay's path names it: base64url, no padding, 43 characters.
std::string sync_id_encode(const SyncId& id);
// Error(malformed) unless `text` is exactly that.
SyncId sync_id_decode(std::string_view text);

// Seals a vault's plaintext as a sync copy (a fresh secretstream header every time).
Bytes sync_copy_seal(const SyncKey& key, ByteView plaintext);
// Opens a sync copy. Errors, in the order checked: not_a_bundle / truncated
// (wrong magic, short header), unsupported_version, wrong_key (sealed under
// another sync key), tampered (a chunk fails authentication, or bytes follow
// the end marker), truncated, malformed (frame length).
Bytes sync_copy_open(const SyncKey& key, ByteView copy);
// The copy's version byte, after the magic check (no key needed).
std::uint8_t sync_copy_version(ByteView copy);

}  // namespace chartlock::crypto
