// Vaults (format v1, docs/vault-format.md): a blob encrypted under a key
// derived from a passphrase with Argon2id. The browser keeps everything at
// rest in vaults. Framing is the share bundle's (chunked secretstream).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "chartlock/crypto/bytes.hpp"

namespace chartlock::crypto {

inline constexpr std::uint8_t kVaultVersion = 1;
inline constexpr std::size_t kVaultHeaderSize = 78;
inline constexpr std::size_t kVaultChunkSize = std::size_t{64} << 10;
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

// Errors: invalid_argument for an empty passphrase, parameters out of bounds,
// or parameters below the floor (kVaultSealOpsLimitFloor, kVaultSealMemLimitFloor).
Bytes vault_seal(std::string_view passphrase, ByteView plaintext, const VaultParams& params = {});
// Errors, in the order checked: truncated / not_a_bundle (short or wrong
// magic), unsupported_version (version or KDF), malformed (parameters out of
// bounds), wrong_passphrase, tampered, truncated, malformed (frame length).
Bytes vault_open(std::string_view passphrase, ByteView vault);
// The parameters in a vault's header, read without the passphrase (e.g. to
// warn before a slow unlock). Same header errors as vault_open.
VaultParams vault_params(ByteView vault);
// True when these parameters are below the sealing floor: a vault with them
// opens, but should be sealed again (with parameters at the floor or above).
bool vault_below_floor(const VaultParams& params);

namespace testing {
// TEST ONLY. While allowed, sealing accepts parameters below the floor (down
// to kVaultOpsLimitMin / kVaultMemLimitMin), so that suites deriving thousands
// of keys (tamper tests, fuzz seeds) stay fast. The test binaries turn it on;
// nothing else may. It is not exposed to JavaScript (wasm/bindings.cpp).
void allow_vault_params_below_floor(bool allow);
bool vault_params_below_floor_allowed();
}  // namespace testing

class VaultSealer {
 public:
  VaultSealer(std::string_view passphrase, const VaultParams& params = {});
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

// Opens incrementally. Plaintext from take() is provisional until finish()
// returns. After a throw the opener is spent: further calls throw std::logic_error.
class VaultOpener {
 public:
  explicit VaultOpener(std::string_view passphrase);
  ~VaultOpener();
  VaultOpener(const VaultOpener&) = delete;
  VaultOpener& operator=(const VaultOpener&) = delete;

  void write(ByteView bytes);
  Bytes take();
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chartlock::crypto
