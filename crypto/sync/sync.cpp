// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/sync.hpp"

#include <sodium.h>

#include <algorithm>

#include "chartlock/crypto/detail/sodium.hpp"
#include "chartlock/crypto/detail/stream.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"

namespace chartlock::crypto {
namespace {

constexpr detail::Magic kSyncMagic = {0x89, 'C', 'L', 'S', '\r', '\n', 0x1a, '\n'};
constexpr std::size_t kChunkSize = kVaultChunkSize;
constexpr std::size_t kCheckSize = 16;
constexpr std::size_t kOffVersion = 8;
constexpr std::size_t kOffCheck = 9;
constexpr std::size_t kOffStream = 25;
static_assert(kOffStream + detail::kStreamHeaderSize == kSyncCopyHeaderSize);

// One label per derived value: none of them is computed with a key that
// another one is.
constexpr char kIdLabel[] = "chartlock sync v1 id";
constexpr char kSigningLabel[] = "chartlock sync v1 signing key";
constexpr char kKeyLabel[] = "chartlock sync v1 encryption key";
constexpr char kCheckLabel[] = "chartlock sync v1 key check";
constexpr char kStreamLabel[] = "chartlock sync v1 stream key";

template <std::size_t N, std::size_t L>
void keyed_hash(std::uint8_t* out, ByteView key, const char (&label)[L]) {
  crypto_generichash(out, N, reinterpret_cast<const std::uint8_t*>(label), L - 1, key.data(), key.size());
}

template <std::size_t L>
SecretArray<32> subkey(ByteView key, const char (&label)[L]) {
  SecretArray<32> out;
  keyed_hash<32>(out.data(), key, label);
  return out;
}

std::array<std::uint8_t, kCheckSize> key_check(const SyncKey& key) {
  std::array<std::uint8_t, kCheckSize> out{};
  keyed_hash<kCheckSize>(out.data(), key.view(), kCheckLabel);
  return out;
}

detail::StreamKey stream_key(const SyncKey& key) { return subkey(key.view(), kStreamLabel); }

}  // namespace

SyncIdentity sync_identity(const RecoveryKey& recovery_key) {
  detail::ensure_sodium();
  SyncIdentity out;
  keyed_hash<kSyncIdSize>(out.id.data(), recovery_key.view(), kIdLabel);
  out.signing = sign_keypair_from_seed(subkey(recovery_key.view(), kSigningLabel));
  out.key = subkey(recovery_key.view(), kKeyLabel);
  return out;
}

SyncIdentity sync_identity_from(const SyncId& id, const SecretArray<32>& signing_seed, const SyncKey& key) {
  detail::ensure_sodium();
  SyncIdentity out;
  out.id = id;
  out.signing = sign_keypair_from_seed(signing_seed);
  out.key = key;
  return out;
}

SecretString sync_identity_encode(const SyncIdentity& identity) {
  SecretBytes raw(identity.id.begin(), identity.id.end());
  const SecretArray<32> seed = identity.signing.seed();
  raw.insert(raw.end(), seed.data(), seed.data() + seed.size());
  raw.insert(raw.end(), identity.key.data(), identity.key.data() + identity.key.size());
  return base64url_encode_secret(ByteView(raw.data(), raw.size()));
}

SyncIdentity sync_identity_decode(std::string_view text) {
  SecretArray<96> raw;
  if (text.size() != kSyncIdentityTextSize) {
    throw Error(ErrorCode::malformed, "sync keys are 128 base64url characters");
  }
  try {
    base64url_decode_exact(text, raw.data(), raw.size());
  } catch (const Error&) {
    throw Error(ErrorCode::malformed, "sync keys are 128 base64url characters");
  }
  SyncId id{};
  std::copy(raw.data(), raw.data() + 32, id.begin());
  SecretArray<32> seed;
  std::copy(raw.data() + 32, raw.data() + 64, seed.data());
  SyncKey key;
  std::copy(raw.data() + 64, raw.data() + 96, key.data());
  return sync_identity_from(id, seed, key);
}

std::string sync_id_encode(const SyncId& id) { return base64url_encode(ByteView(id.data(), id.size())); }

SyncId sync_id_decode(std::string_view text) {
  SyncId id{};
  if (text.size() != 43) throw Error(ErrorCode::malformed, "a sync id is 43 base64url characters");
  try {
    base64url_decode_exact(text, id.data(), id.size());
  } catch (const Error&) {
    throw Error(ErrorCode::malformed, "a sync id is 43 base64url characters");
  }
  return id;
}

Bytes sync_copy_seal(const SyncKey& key, ByteView plaintext) {
  detail::ensure_sodium();
  detail::FrameWriter writer(stream_key(key), kChunkSize);
  Bytes header(kSyncCopyHeaderSize);
  std::copy(kSyncMagic.begin(), kSyncMagic.end(), header.begin());
  header[kOffVersion] = kSyncCopyVersion;
  const auto check = key_check(key);
  std::copy(check.begin(), check.end(), header.begin() + kOffCheck);
  std::copy(writer.stream_header().begin(), writer.stream_header().end(), header.begin() + kOffStream);
  Bytes out;
  writer.start(header, out);
  writer.write(plaintext, out);
  writer.finish(out);
  return out;
}

std::uint8_t sync_copy_version(ByteView copy) {
  detail::check_magic(copy, kSyncMagic, "sync copy");
  if (copy.size() <= kOffVersion) detail::throw_short_header(copy.size(), kSyncCopyHeaderSize, "sync copy");
  return copy[kOffVersion];
}

Bytes sync_copy_open(const SyncKey& key, ByteView copy) {
  detail::ensure_sodium();
  const std::uint8_t version = sync_copy_version(copy);
  if (version != kSyncCopyVersion) {
    throw Error(ErrorCode::unsupported_version,
                "sync copy version " + std::to_string(version) + " (this build reads " +
                    std::to_string(kSyncCopyVersion) + ")");
  }
  if (copy.size() < kSyncCopyHeaderSize) detail::throw_short_header(copy.size(), kSyncCopyHeaderSize, "sync copy");
  // The check is not secret (BLAKE2b under a 256-bit key), but constant time costs nothing.
  const auto check = key_check(key);
  if (sodium_memcmp(check.data(), copy.data() + kOffCheck, kCheckSize) != 0) {
    throw Error(ErrorCode::wrong_key, "this sync key does not open this sync copy (another vault's, or another recovery key's)");
  }
  detail::StreamHeader stream_header{};
  std::copy(copy.data() + kOffStream, copy.data() + kSyncCopyHeaderSize, stream_header.begin());
  const ByteView header = copy.sub(0, kSyncCopyHeaderSize);
  detail::FrameReader reader(stream_key(key), stream_header, header);
  Bytes out;
  const ByteView body = copy.sub(kSyncCopyHeaderSize);
  const std::size_t used = reader.read(body, [&out](std::uint64_t, ByteView plain) {
    out.insert(out.end(), plain.begin(), plain.end());
  });
  if (used != body.size()) {
    wipe(out.data(), out.size());
    throw Error(ErrorCode::tampered, "data follows the sync copy's end marker");
  }
  try {
    reader.finish();
  } catch (...) {
    wipe(out.data(), out.size());
    throw;
  }
  return out;
}

}  // namespace chartlock::crypto
