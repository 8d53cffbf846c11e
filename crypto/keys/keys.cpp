// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/keys.hpp"

#include <sodium.h>

#include "chartlock/crypto/detail/sodium.hpp"
#include "chartlock/crypto/error.hpp"

namespace chartlock::crypto {

static_assert(crypto_kx_PUBLICKEYBYTES == kPublicKeySize && crypto_kx_SECRETKEYBYTES == 32);
static_assert(crypto_scalarmult_BYTES == kPublicKeySize && crypto_scalarmult_SCALARBYTES == 32);
static_assert(crypto_sign_PUBLICKEYBYTES == kPublicKeySize && crypto_sign_SECRETKEYBYTES == 64);
static_assert(crypto_sign_SEEDBYTES == 32);

SecretArray<32> SignKeyPair::seed() const {
  SecretArray<32> out;
  crypto_sign_ed25519_sk_to_seed(out.data(), secret_key.data());
  return out;
}

BoxKeyPair box_keypair() {
  detail::ensure_sodium();
  BoxKeyPair pair;
  crypto_kx_keypair(pair.public_key.data(), pair.secret_key.data());
  return pair;
}

BoxKeyPair box_keypair_from_secret(const SecretArray<32>& secret) {
  detail::ensure_sodium();
  BoxKeyPair pair;
  pair.secret_key = secret;
  crypto_scalarmult_base(pair.public_key.data(), pair.secret_key.data());
  return pair;
}

SecretArray<32> x25519(const SecretArray<32>& scalar, const PublicKey& u) {
  detail::ensure_sodium();
  SecretArray<32> out;
  if (crypto_scalarmult(out.data(), scalar.data(), u.data()) != 0) {
    throw Error(ErrorCode::wrong_key, "the X25519 peer key is a low-order point");
  }
  return out;
}

bool box_keypair_check(const BoxKeyPair& pair) {
  detail::ensure_sodium();
  PublicKey derived{};
  crypto_scalarmult_base(derived.data(), pair.secret_key.data());
  return sodium_memcmp(derived.data(), pair.public_key.data(), derived.size()) == 0;
}

SignKeyPair sign_keypair() {
  detail::ensure_sodium();
  SignKeyPair pair;
  crypto_sign_keypair(pair.public_key.data(), pair.secret_key.data());
  return pair;
}

SignKeyPair sign_keypair_from_seed(const SecretArray<32>& seed) {
  detail::ensure_sodium();
  SignKeyPair pair;
  crypto_sign_seed_keypair(pair.public_key.data(), pair.secret_key.data(), seed.data());
  return pair;
}

bool sign_keypair_check(const SignKeyPair& pair) {
  const SignKeyPair derived = sign_keypair_from_seed(pair.seed());
  // The secret key embeds the public key, so comparing all 64 bytes checks
  // the stored secret; the separate public_key field is compared too.
  return sodium_memcmp(derived.secret_key.data(), pair.secret_key.data(), 64) == 0 &&
         sodium_memcmp(derived.public_key.data(), pair.public_key.data(), kPublicKeySize) == 0;
}

bool sign_public_key_valid(const PublicKey& public_key) {
  detail::ensure_sodium();
  return crypto_core_ed25519_is_valid_point(public_key.data()) == 1;
}

}  // namespace chartlock::crypto
