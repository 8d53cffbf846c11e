// SPDX-License-Identifier: Apache-2.0
// Share bundles (format v1, docs/bundle-format.md): parts sealed to one
// recipient's X25519 key, encrypted in chunks with XChaCha20-Poly1305
// secretstream, then signed by the patient's per-grant Ed25519 key.
//
// The streaming classes bound memory by the chunk size, not the bundle size;
// bundle_seal / bundle_open are whole-buffer conveniences on top of them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/crypto/bytes.hpp"
#include "chartlock/crypto/hash.hpp"
#include "chartlock/crypto/keys.hpp"

namespace chartlock::crypto {

inline constexpr std::uint8_t kBundleVersion = 1;
inline constexpr std::size_t kBundleHeaderSize = 201;
inline constexpr std::size_t kBundleSignatureSize = 64;
inline constexpr std::size_t kDefaultChunkSize = std::size_t{64} << 10;
inline constexpr std::size_t kMaxChunkSize = std::size_t{1} << 20;
inline constexpr std::size_t kMaxPartFieldSize = 255;  // name and media type, in bytes
inline constexpr const char* kReceiptPartName = "receipt";
inline constexpr const char* kReceiptMediaType = "application/json";

using GrantId = std::array<std::uint8_t, 16>;

// The fixed header. Everything in it is visible to whoever holds the bundle
// (the relay included); it is authenticated by chunk 0 and the signature.
struct BundleHeader {
  std::uint8_t version = kBundleVersion;
  PublicKey recipient_pk{};  // the tool's X25519 key
  PublicKey ephemeral_pk{};  // fresh X25519 key of this bundle
  PublicKey signer_pk{};     // the patient's per-grant Ed25519 key
  GrantId grant_id{};
  std::uint64_t sequence = 0;
  std::int64_t created_at = 0;  // unix seconds
  std::int64_t expires_at = 0;  // unix seconds; valid while now <= expires_at
  Digest receipt_digest{};      // BLAKE2b-256 of the consent receipt
  std::array<std::uint8_t, 24> stream_header{};
};

// What the sealer chooses; the rest of the header is derived.
struct BundleMeta {
  PublicKey recipient_pk{};
  GrantId grant_id{};
  std::uint64_t sequence = 0;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;  // must be > created_at
};

struct Part {
  std::string name;        // UTF-8, 1..255 bytes, unique within the bundle
  std::string media_type;  // printable ASCII, 1..255 bytes
  Bytes bytes;
};

struct PartInfo {
  std::string name;
  std::string media_type;
  std::uint64_t size = 0;
};

struct SealRequest {
  BundleMeta meta;
  Bytes receipt;  // the consent receipt (JSON); becomes part 0
  std::vector<Part> parts;
  std::size_t chunk_size = kDefaultChunkSize;  // 1..kMaxChunkSize
};

struct OpenOptions {
  // The signer the caller expects (from the grant). Without it, a valid
  // signature only proves that *someone* signed the bundle.
  std::optional<PublicKey> expected_signer;
  std::optional<std::int64_t> now;  // unix seconds; required when check_expiry
  bool check_expiry = true;
};

struct OpenedBundle {
  BundleHeader header;
  Bytes receipt;
  std::vector<Part> parts;  // in bundle order, after the receipt
};

// A random grant id (16 bytes from the system CSPRNG).
GrantId grant_id_generate();

// Errors (crypto::Error): invalid_argument for bad metadata, sizes, names,
// media types, an empty receipt or an unusable recipient key; wrong_key when
// the signer's halves do not match.
Bytes bundle_seal(const SealRequest& request, const SignKeyPair& signer);

// Verifies everything before returning anything; the order of the checks and
// the error for each is in docs/bundle-format.md.
OpenedBundle bundle_open(ByteView bundle, const BoxKeyPair& recipient, const OpenOptions& options);

// What a tool checks of a bundle it fetched for a grant, after bundle_open:
// the header names that grant (else wrong_grant); its sequence is at least
// `min_sequence`, the newest the tool has seen, so a relay cannot hand back
// an older version (else stale_sequence); and the consent receipt, a JSON
// object, names this grant (`grantId`, hex) and this sequence (`sequence`),
// tying the patient's consent to exactly this version, and when it lists
// `parts` ({name, mediaType, blake2b256}), they are the bundle's parts in
// order, byte for byte (else receipt_mismatch). docs/bundle-format.md §6.
void bundle_check_received(const OpenedBundle& bundle, const GrantId& grant, std::uint64_t min_sequence = 0);

// Parses the header without keys (relay, CLI). Nothing in it is authenticated.
// Errors: truncated / not_a_bundle / unsupported_version.
BundleHeader bundle_peek(ByteView bundle);

// What can be checked without a secret key (the relay's check on upload):
// the header parses, signer_pk equals `signer`, the frames are well formed up
// to the end marker, exactly a signature follows, it verifies with `signer`,
// and expires_at > created_at. It decrypts nothing, so the part encoding and
// the receipt stay unchecked. Errors: those of bundle_peek; wrong_signer;
// malformed (a frame length outside 17..1 MiB+17, or the times); truncated;
// tampered (bytes after the signature); bad_signature.
BundleHeader bundle_verify_signature(ByteView bundle, const PublicKey& signer);

namespace detail {
struct SealerAccess;
}

// Seals incrementally: output is available from take() as it is produced.
class BundleSealer {
 public:
  // Writes the header and starts part 0, the receipt.
  BundleSealer(const BundleMeta& meta, const SignKeyPair& signer, ByteView receipt,
               std::size_t chunk_size = kDefaultChunkSize);
  ~BundleSealer();
  BundleSealer(BundleSealer&&) noexcept;
  BundleSealer& operator=(BundleSealer&&) noexcept;

  const BundleHeader& header() const noexcept;
  // Starts a part of exactly `size` bytes, to be given to write().
  void begin_part(std::string_view name, std::string_view media_type, std::uint64_t size);
  void write(ByteView bytes);
  void add_part(std::string_view name, std::string_view media_type, ByteView bytes);
  // The bundle bytes produced since the last take().
  Bytes take();
  // The remaining bytes: last chunk, end marker and signature.
  Bytes finish();

 private:
  friend struct detail::SealerAccess;
  struct Impl;
  BundleSealer(const BundleMeta& meta, const SignKeyPair& signer, ByteView receipt,
               std::size_t chunk_size, const BoxKeyPair& ephemeral);
  std::unique_ptr<Impl> impl_;
};

// Receives an opening bundle's parts (the receipt first) as chunks decrypt.
// Everything it receives is provisional: discard it unless
// BundleOpener::finish() returns.
class PartSink {
 public:
  virtual ~PartSink() = default;
  virtual void begin_part(const PartInfo& info) = 0;
  virtual void part_data(ByteView bytes) = 0;
};

// Opens incrementally. write() throws as soon as the bytes seen so far are
// known to be bad; finish() runs the remaining checks. After a throw the
// opener is spent: further calls throw std::logic_error.
class BundleOpener {
 public:
  // Error(invalid_argument) when check_expiry is set without `now`.
  BundleOpener(const BoxKeyPair& recipient, const OpenOptions& options, PartSink& sink);
  ~BundleOpener();
  BundleOpener(const BundleOpener&) = delete;
  BundleOpener& operator=(const BundleOpener&) = delete;

  void write(ByteView bytes);
  // The header once it is complete; authenticated only after finish().
  const BundleHeader* header() const noexcept;
  BundleHeader finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chartlock::crypto
