// SPDX-License-Identifier: Apache-2.0
// Internal pieces of the share bundle format, exposed for the implementation
// and for tests that build hostile bundles (e.g. re-encrypted by the
// recipient). Not a stable API.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/detail/stream.hpp"
#include "chartlock/crypto/error.hpp"

namespace chartlock::crypto::detail {

inline constexpr Magic kBundleMagic = {0x89, 'C', 'L', 'B', '\r', '\n', 0x1a, '\n'};
using HeaderBytes = std::array<std::uint8_t, kBundleHeaderSize>;

HeaderBytes bundle_header_encode(const BundleHeader& header);
// Checks length (truncated / not_a_bundle), magic (not_a_bundle) and version
// (unsupported_version); reads the first kBundleHeaderSize bytes.
BundleHeader bundle_header_decode(ByteView bytes);

// The stream key, as the sender derives it (crypto_kx client, key = tx) and
// as the recipient does (crypto_kx server, key = rx). Both bind the two
// public keys. Errors: invalid_argument (sender) / tampered (recipient) when
// the peer key is a low-order point.
StreamKey bundle_key_sender(const BoxKeyPair& ephemeral, const PublicKey& recipient_pk);
StreamKey bundle_key_recipient(const BoxKeyPair& recipient, const PublicKey& ephemeral_pk);

// nullptr when acceptable, else what is wrong (for an error message).
const char* part_name_problem(std::string_view name);
const char* media_type_problem(std::string_view media_type);

// u16 LE name length | name | u16 LE media type length | media type | u64 LE size
void part_header_encode(std::string_view name, std::string_view media_type, std::uint64_t size,
                        Bytes& out);

// Parses the part encoding from plaintext fed in pieces. Format errors are
// not thrown but kept (the first one) and reported by finish(), because they
// must only be reported once the signature has verified.
class PartDecoder {
 public:
  explicit PartDecoder(PartSink& sink) : sink_(sink) {}
  void write(ByteView plaintext);
  // The first format error, if any, including plaintext that ends inside a
  // part and a bundle without parts.
  std::optional<Error> finish() const;

 private:
  enum class Field { name_length, name, media_length, media, size, body };
  bool fill(ByteView& in, std::size_t want);
  void on_field();
  void fail(const std::string& what);

  PartSink& sink_;
  Field field_ = Field::name_length;
  std::string buffer_;  // the field being read
  std::size_t want_ = 2;
  PartInfo part_;
  std::uint64_t remaining_ = 0;  // body bytes still to come
  std::uint64_t count_ = 0;      // parts begun
  std::set<std::string> names_;
  std::optional<Error> error_;
};

// For test vectors only: a sealer with a caller-chosen ephemeral key pair, so
// that the vector can publish the ephemeral secret. Never use it otherwise:
// reusing an ephemeral key reuses the stream key.
struct SealerAccess {
  static BundleSealer with_ephemeral(const BundleMeta& meta, const SignKeyPair& signer,
                                     ByteView receipt, std::size_t chunk_size,
                                     const BoxKeyPair& ephemeral) {
    return BundleSealer(meta, signer, receipt, chunk_size, ephemeral);
  }
};

}  // namespace chartlock::crypto::detail
