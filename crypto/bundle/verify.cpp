// SPDX-License-Identifier: Apache-2.0
// bundle_verify_signature: the keyless check of a whole share bundle.
#include <sodium.h>

#include "chartlock/crypto/detail/bundle.hpp"
#include "chartlock/crypto/detail/endian.hpp"
#include "chartlock/crypto/detail/sodium.hpp"

namespace chartlock::crypto {

BundleHeader bundle_verify_signature(ByteView bundle, const PublicKey& signer) {
  detail::ensure_sodium();
  const BundleHeader header = detail::bundle_header_decode(bundle);
  if (sodium_memcmp(header.signer_pk.data(), signer.data(), signer.size()) != 0) {
    throw Error(ErrorCode::wrong_signer, "the bundle is signed by a key other than the expected one");
  }
  // Walk the frames by their lengths up to the end marker.
  std::size_t at = kBundleHeaderSize;
  for (;;) {
    if (bundle.size() - at < detail::kFrameLengthSize) {
      throw Error(ErrorCode::truncated, "the bundle ends before its end marker");
    }
    const auto length = detail::load_le<std::uint32_t>(bundle.data() + at);
    at += detail::kFrameLengthSize;
    if (length == 0) break;
    if (length < detail::kChunkOverhead || length > detail::kMaxFrameLength) {
      throw Error(ErrorCode::malformed, "a frame length is outside 17..1 MiB+17");
    }
    if (bundle.size() - at < length) throw Error(ErrorCode::truncated, "the bundle ends inside a frame");
    at += length;
  }
  const std::size_t trailer = bundle.size() - at;
  if (trailer < kBundleSignatureSize) throw Error(ErrorCode::truncated, "the bundle ends inside its signature");
  if (trailer > kBundleSignatureSize) throw Error(ErrorCode::tampered, "data follows the signature");

  crypto_sign_state state{};
  crypto_sign_init(&state);
  crypto_sign_update(&state, bundle.data(), at);
  if (crypto_sign_final_verify(&state, bundle.data() + at, signer.data()) != 0) {
    throw Error(ErrorCode::bad_signature, "the signature does not verify with the signer key");
  }
  if (header.expires_at <= header.created_at) {
    throw Error(ErrorCode::malformed, "expires_at is not later than created_at");
  }
  return header;
}

}  // namespace chartlock::crypto
