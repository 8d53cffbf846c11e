// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/signature.hpp"

#include <sodium.h>

#include "chartlock/crypto/detail/sodium.hpp"

namespace chartlock::crypto {

static_assert(crypto_sign_BYTES == kSignatureSize);

Signature sign_detached(ByteView message, const SignKeyPair& key) {
  detail::ensure_sodium();
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), key.secret_key.data());
  return sig;
}

bool verify_detached(const Signature& signature, ByteView message, const PublicKey& public_key) {
  detail::ensure_sodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     public_key.data()) == 0;
}

}  // namespace chartlock::crypto
