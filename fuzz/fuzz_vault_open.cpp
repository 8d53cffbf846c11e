// libFuzzer target: opening a vault (what the browser does with the blob it
// keeps in IndexedDB), whole (vault_open) and streaming (VaultOpener fed in
// three pieces), with the fixed passphrase the seed vaults were sealed with.
//
// Argon2id: a vault's header names its own cost, up to 1 GiB and ten passes
// (kVaultMemLimitMax, kVaultOpsLimitMax) — seconds per input, and far past
// the fuzzer's memory limit. So the header is always parsed (vault_params),
// but only a vault whose parameters are within kFuzz* is opened. The seed
// vaults (seed_inputs.cpp) are sealed with exactly kFuzz*, the minimum the
// format allows, so the key derivation costs microseconds and mutations past
// the header reach the key check and the chunk stream. The skipped range is
// the bounds check itself, which vault_params covers, and Argon2id, which is
// libsodium's.
//
// Oracles: every refusal is a crypto::Error, and both ways of opening agree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>

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

Outcome open_whole(ByteView vault) {
  Outcome out;
  try {
    out.plaintext = crypto::vault_open(fuzz::kVaultPassphrase, vault);
  } catch (const crypto::Error& e) {
    out.error = e.code();
  }
  return out;
}

Outcome open_streaming(ByteView vault) {
  Outcome out;
  try {
    crypto::VaultOpener opener(fuzz::kVaultPassphrase);
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView vault(data, size);
  try {
    const crypto::VaultParams params = crypto::vault_params(vault);
    if (params.opslimit > kFuzzOpsLimit || params.memlimit > kFuzzMemLimit) return 0;
  } catch (const crypto::Error&) {
    // Not a vault header: the openers must refuse it the same way, cheaply.
  }
  const Outcome whole = open_whole(vault);
  const Outcome streamed = open_streaming(vault);
  if (whole.error != streamed.error || whole.plaintext != streamed.plaintext) std::abort();
  return 0;
}
