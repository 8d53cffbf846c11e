// SPDX-License-Identifier: Apache-2.0
// Vaults (docs/vault-format.md): the browser keeps everything at rest in one.
// Version 2, written by this build: a random content key encrypts the stream
// (chunked secretstream, as share bundles); the content key is stored wrapped
// by the passphrase (Argon2id) and, when the vault has one, by a recovery key
// (32 random bytes shown to the patient once). Version 1 (the key derived
// from the passphrase alone) is still opened.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "chartlock/crypto/bytes.hpp"
#include "chartlock/crypto/error.hpp"

namespace chartlock::crypto {

inline constexpr std::uint8_t kVaultVersion = 2;    // what sealing writes
inline constexpr std::uint8_t kVaultVersion1 = 1;   // still opened, never written
inline constexpr std::size_t kVaultHeaderSize = 239;   // version 2
inline constexpr std::size_t kVaultHeaderSizeV1 = 78;  // version 1
// A version 2 header without its last field (the secretstream header): the
// key slots a vault keeps from one seal to the next.
inline constexpr std::size_t kVaultSlotsSize = 215;
inline constexpr std::size_t kVaultChunkSize = std::size_t{64} << 10;
inline constexpr std::size_t kVaultContentKeySize = 32;
inline constexpr std::size_t kRecoveryKeySize = 32;
// Bounds for the Argon2id parameters, in files and in calls alike: a hostile
// header cannot make the opener spend more than 1 GiB or ten passes.
inline constexpr std::uint32_t kVaultOpsLimitMin = 1;
inline constexpr std::uint32_t kVaultOpsLimitMax = 10;
inline constexpr std::uint64_t kVaultMemLimitMin = std::uint64_t{8} << 10;
inline constexpr std::uint64_t kVaultMemLimitMax = std::uint64_t{1} << 30;
// The floor for sealing: OWASP's minimum for Argon2id (Password Storage Cheat
// Sheet: m = 19 MiB, t = 2, p = 1; crypto_pwhash is always p = 1). A new vault
// below it is refused, whoever asks (a deployment's config.json is not trusted
// for this). Vaults already sealed below it still open — the data must not be
// lost — and vault_below_floor() tells the caller to seal them again.
inline constexpr std::uint32_t kVaultSealOpsLimitFloor = 2;
inline constexpr std::uint64_t kVaultSealMemLimitFloor = std::uint64_t{19} << 20;  // 19456 KiB

struct VaultParams {
  std::uint32_t opslimit = 3;                      // Argon2id passes
  std::uint64_t memlimit = std::uint64_t{64} << 20;  // bytes
};

// The recovery key: 32 random bytes, shown to the patient once as text
// (recovery_key_encode) when the vault is made, never stored by Chartlock.
using RecoveryKey = SecretArray<kRecoveryKeySize>;

// What sealing an opened version 2 vault again needs, without the passphrase
// or the recovery key: the content key and the header's key slots as they
// are (kdf and parameters, salt, both wrapped copies of the content key).
// Secret: whoever holds it can read and write the vault. Made by opening or
// creating a vault; vault_change_passphrase makes the next one.
struct VaultKeys {
  SecretArray<kVaultContentKeySize> content_key;
  std::array<std::uint8_t, kVaultSlotsSize> slots{};
};

struct VaultCreated {
  Bytes vault;
  RecoveryKey recovery_key;  // show it to the patient once; it is in no file
  VaultKeys keys;
};

struct VaultUnlocked {
  Bytes plaintext;
  VaultKeys keys;  // for version 1, a version 2 header made from the same Argon2id output, no recovery key
};

// What a vault's header says, read without a key (e.g. before a slow unlock,
// or to say whether a backup file can be restored with a recovery key).
struct VaultInfo {
  std::uint8_t version = kVaultVersion;
  VaultParams params;
  bool has_recovery_key = false;
};

// A new vault, with a fresh content key and a fresh recovery key.
// Errors: invalid_argument for an empty passphrase, parameters out of bounds,
// or parameters below the floor (kVaultSealOpsLimitFloor, kVaultSealMemLimitFloor).
VaultCreated vault_create(std::string_view passphrase, ByteView plaintext, const VaultParams& params = {});
// A new vault under an existing recovery key (fresh content key, salt and
// nonces): what a new device makes when the patient signs in to a synced
// vault with the recovery key (docs/vault-format.md §11), so that the one
// recovery key keeps opening every device's vault and naming its sync copy.
// Same errors as vault_create.
VaultCreated vault_create_with_recovery_key(std::string_view passphrase, const RecoveryKey& recovery_key,
                                            ByteView plaintext, const VaultParams& params = {});
// "Make a recovery key" (or a new one): opens a version 1 or 2 vault with its
// passphrase and seals its content as a new version 2 vault — new content
// key, new recovery key, the same passphrase with these parameters — so an
// earlier recovery key opens no later version. Errors as vault_open, then
// as vault_create.
VaultCreated vault_make_recovery_key(std::string_view passphrase, ByteView vault, const VaultParams& params = {});
// A new vault without a recovery key (as the widget sealed until now): a
// fresh content key every time. Same errors as vault_create.
Bytes vault_seal(std::string_view passphrase, ByteView plaintext, const VaultParams& params = {});
// The same content under the same keys, with a fresh secretstream header:
// the recovery key, the passphrase and the parameters stay as they were.
// Errors: invalid_argument when the slots are not a version 2 header (their
// version byte), or their parameters are below the floor (then change the
// passphrase: vault_change_passphrase re-derives with new parameters); the
// header errors of vault_info (not_a_bundle, malformed…) for damaged slots.
Bytes vault_reseal(const VaultKeys& keys, ByteView plaintext);
// New keys: the content key wrapped under a new passphrase (new salt, these
// parameters); the recovery slot is kept byte for byte, so the recovery key
// still opens what is sealed with them. Works on keys from either way of
// opening: changing the passphrase needs no recovery key, and after opening
// with the recovery key this sets the passphrase. Seal with vault_reseal.
// Errors as vault_create, and as vault_reseal for the slots.
VaultKeys vault_change_passphrase(const VaultKeys& keys, std::string_view new_passphrase,
                                  const VaultParams& params = {});

// Opens a version 1 or 2 vault with its passphrase. Errors, in the order
// checked: truncated / not_a_bundle (short or wrong magic),
// unsupported_version (version or KDF), malformed (parameters out of bounds,
// a recovery slot marked absent but not zero), wrong_passphrase, tampered
// (a key slot or a chunk fails authentication), truncated, malformed (frame length).
Bytes vault_open(std::string_view passphrase, ByteView vault);
VaultUnlocked vault_unlock(std::string_view passphrase, ByteView vault);
// Opens a version 2 vault with its recovery key. The same errors, with
// no_recovery_key (version 1, or made without one) and wrong_recovery_key
// in place of wrong_passphrase; the Argon2id parameters are never used.
Bytes vault_open_with_recovery_key(const RecoveryKey& key, ByteView vault);
VaultUnlocked vault_unlock_with_recovery_key(const RecoveryKey& key, ByteView vault);

// Same header errors as vault_open.
VaultInfo vault_info(ByteView vault);
VaultParams vault_params(ByteView vault);
// True when these parameters are below the sealing floor: a vault with them
// opens, but should be sealed again (with parameters at the floor or above).
bool vault_below_floor(const VaultParams& params);

// ---- the recovery key as text (docs/vault-format.md §7) ----

inline constexpr std::size_t kRecoveryKeyGroups = 13;
inline constexpr std::size_t kRecoveryKeyGroupSize = 5;  // four characters of key, one check character

// A random recovery key.
RecoveryKey recovery_key_generate();
// "XXXXX-XXXXX-…": 13 groups of 5 Crockford base32 characters (upper case,
// no I L O U), the last of each group a check character over that group.
SecretString recovery_key_encode(const RecoveryKey& key);
// Reads what the patient typed: any case, any spaces and dashes; O is read
// as 0, I and L as 1. Errors: RecoveryKeyTextError (code malformed) whose
// group() is the group to fix (1-based), or 0 when no single group is at
// fault (too many or too few characters). Never echoes the text.
RecoveryKey recovery_key_decode(std::string_view text);

class RecoveryKeyTextError : public Error {
 public:
  RecoveryKeyTextError(std::size_t group, const std::string& message)
      : Error(ErrorCode::malformed, message), group_(group) {}
  std::size_t group() const noexcept { return group_; }

 private:
  std::size_t group_;
};

namespace testing {
// TEST ONLY. While allowed, sealing accepts parameters below the floor (down
// to kVaultOpsLimitMin / kVaultMemLimitMin), so that suites deriving thousands
// of keys (tamper tests, fuzz seeds) stay fast. The test binaries turn it on;
// nothing else may. It is not exposed to JavaScript (wasm/bindings.cpp).
void allow_vault_params_below_floor(bool allow);
bool vault_params_below_floor_allowed();
// TEST ONLY: a version 1 vault, as builds before version 2 wrote them, so
// that the version 1 reader keeps its tamper tests and fuzz seeds. Same
// errors as vault_seal.
Bytes vault_seal_v1(std::string_view passphrase, ByteView plaintext, const VaultParams& params);
// TEST ONLY (known-answer vectors): vault_create with the random values
// given (salt, nonces, content key, recovery key) in place of fresh ones
// (the secretstream header stays random: vectors check the frames by
// re-encrypting from the published one). Reusing them reuses nonces: never outside vectors.
struct VaultRandom {
  std::array<std::uint8_t, 16> salt{};
  std::array<std::uint8_t, 24> passphrase_nonce{};
  std::array<std::uint8_t, 24> recovery_nonce{};
  SecretArray<kVaultContentKeySize> content_key;
  RecoveryKey recovery_key;
};
VaultCreated vault_create_with(const VaultRandom& random, std::string_view passphrase, ByteView plaintext,
                               const VaultParams& params);
}  // namespace testing

// Seals a vault streaming: version 2, without a recovery key (as vault_seal),
// or under existing keys (as vault_reseal).
class VaultSealer {
 public:
  VaultSealer(std::string_view passphrase, const VaultParams& params = {});
  explicit VaultSealer(const VaultKeys& keys);
  ~VaultSealer();
  VaultSealer(const VaultSealer&) = delete;
  VaultSealer& operator=(const VaultSealer&) = delete;

  void write(ByteView plaintext);
  Bytes take();    // vault bytes produced since the last take()
  Bytes finish();  // the remaining bytes

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Opens incrementally (version 1 or 2), with the passphrase or the recovery
// key. Plaintext from take() is provisional until finish() returns. After a
// throw the opener is spent: further calls throw std::logic_error.
class VaultOpener {
 public:
  explicit VaultOpener(std::string_view passphrase);
  explicit VaultOpener(const RecoveryKey& recovery_key);
  ~VaultOpener();
  VaultOpener(const VaultOpener&) = delete;
  VaultOpener& operator=(const VaultOpener&) = delete;

  void write(ByteView bytes);
  Bytes take();
  void finish();
  // The keys, once the header has been read (after finish(): all of it checked).
  const VaultKeys& keys() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chartlock::crypto
