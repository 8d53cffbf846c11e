// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: opening a vault (what the browser does with the blob it
// keeps in IndexedDB, or a backup file), format 1 or 2, whole (vault_open,
// vault_open_with_recovery_key) and streaming (VaultOpener fed in three
// pieces), with the fixed passphrase and the fixed recovery key the seed
// vaults were sealed with; and the same bytes read as a recovery key's text.
//
// Argon2id: a vault's header names its own cost, up to 1 GiB and ten passes
// (kVaultMemLimitMax, kVaultOpsLimitMax) — seconds per input, and far past
// the fuzzer's memory limit. So the header is always parsed (vault_params),
// but only a vault whose parameters are within kFuzz* is opened. The seed
// vaults (seed_inputs.cpp) are sealed with exactly kFuzz*, the minimum the
// format allows, so the key derivation costs microseconds and mutations past
// the header reach the key check and the chunk stream. The skipped range is
// the bounds check itself, which vault_params covers, and Argon2id, which is
// libsodium's. Opening with the recovery key runs no Argon2id: always done.
//
// Oracles: every refusal is a crypto::Error; whole and streaming opening
// agree, for each key; when both keys open the vault they give the same
// plaintext; a text that reads as a recovery key reads back the same after
// recovery_key_encode.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>

#include <string_view>

#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/vault.hpp"
#include "fixed_keys.hpp"

namespace {

using namespace chartlock;
using crypto::ByteView;

constexpr std::uint32_t kFuzzOpsLimit = crypto::kVaultOpsLimitMin;
constexpr std::uint64_t kFuzzMemLimit = crypto::kVaultMemLimitMin;

struct Outcome {
  std::optional<crypto::ErrorCode> error;
  crypto::Bytes plaintext;
};

// With the passphrase (recovery == nullptr) or the recovery key.
Outcome open_whole(ByteView vault, const crypto::RecoveryKey* recovery) {
  Outcome out;
  try {
    out.plaintext = recovery ? crypto::vault_open_with_recovery_key(*recovery, vault)
                             : crypto::vault_open(fuzz::kVaultPassphrase, vault);
  } catch (const crypto::Error& e) {
    out.error = e.code();
  }
  return out;
}

Outcome open_streaming(ByteView vault, const crypto::RecoveryKey* recovery) {
  Outcome out;
  try {
    auto opener_ptr = recovery ? std::make_unique<crypto::VaultOpener>(*recovery)
                               : std::make_unique<crypto::VaultOpener>(fuzz::kVaultPassphrase);
    crypto::VaultOpener& opener = *opener_ptr;
    const std::size_t a = vault.size() / 3, b = vault.size() - vault.size() / 5;
    opener.write(ByteView(vault.data(), a));
    crypto::Bytes first = opener.take();
    opener.write(ByteView(vault.data() + a, b - a));
    opener.write(ByteView(vault.data() + b, vault.size() - b));
    opener.finish();
    out.plaintext = std::move(first);
    crypto::Bytes rest = opener.take();
    out.plaintext.insert(out.plaintext.end(), rest.begin(), rest.end());
  } catch (const crypto::Error& e) {
    out.error = e.code();
    out.plaintext.clear();
  }
  return out;
}

Outcome open_both_ways(ByteView vault, const crypto::RecoveryKey* recovery) {
  const Outcome whole = open_whole(vault, recovery);
  const Outcome streamed = open_streaming(vault, recovery);
  if (whole.error != streamed.error || whole.plaintext != streamed.plaintext) std::abort();
  return whole;
}

void read_as_recovery_text(ByteView bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  try {
    const crypto::RecoveryKey key = crypto::recovery_key_decode(text);
    const crypto::SecretString again = crypto::recovery_key_encode(key);
    const crypto::RecoveryKey back = crypto::recovery_key_decode(std::string_view(again.data(), again.size()));
    if (!crypto::equal(key.view(), back.view())) std::abort();
  } catch (const crypto::RecoveryKeyTextError& e) {
    if (e.group() > crypto::kRecoveryKeyGroups) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView vault(data, size);
  read_as_recovery_text(vault);
  bool cheap_kdf = true;
  try {
    const crypto::VaultParams params = crypto::vault_params(vault);
    cheap_kdf = params.opslimit <= kFuzzOpsLimit && params.memlimit <= kFuzzMemLimit;
  } catch (const crypto::Error&) {
    // Not a vault header: the openers must refuse it the same way, cheaply.
  }
  const crypto::RecoveryKey recovery = fuzz::fixed_recovery_key();
  const Outcome by_recovery = open_both_ways(vault, &recovery);
  if (!cheap_kdf) return 0;
  const Outcome by_passphrase = open_both_ways(vault, nullptr);
  if (!by_recovery.error && !by_passphrase.error && by_recovery.plaintext != by_passphrase.plaintext) std::abort();
  return 0;
}
