// SPDX-License-Identifier: Apache-2.0
#include "support.hpp"

#include <sodium.h>

namespace chartlock::crypto::test {

Bytes sign_ph(ByteView bytes, const SignKeyPair& signer) {
  crypto_sign_state st;
  crypto_sign_init(&st);
  crypto_sign_update(&st, bytes.data(), bytes.size());
  Bytes sig(crypto_sign_BYTES);
  crypto_sign_final_create(&st, sig.data(), nullptr, signer.secret_key.data());
  return sig;
}

Bytes forge_bundle(const BundleHeader& header, const detail::StreamKey& key, ByteView plaintext,
                   const SignKeyPair& signer, std::size_t chunk_size) {
  detail::FrameWriter writer(key, chunk_size);
  BundleHeader h = header;
  h.stream_header = writer.stream_header();
  Bytes out;
  writer.start(detail::bundle_header_encode(h), out);
  writer.write(plaintext, out);
  writer.finish(out);
  const Bytes sig = sign_ph(out, signer);
  out.insert(out.end(), sig.begin(), sig.end());
  return out;
}

}  // namespace chartlock::crypto::test
