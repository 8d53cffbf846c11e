// SPDX-License-Identifier: Apache-2.0
// Key pairs: X25519 for receiving share bundles (crypto_kx / crypto_box keys)
// and Ed25519 for signing them.
#pragma once

#include <array>
#include <cstdint>

#include "chartlock/crypto/bytes.hpp"

namespace chartlock::crypto {

inline constexpr std::size_t kPublicKeySize = 32;
using PublicKey = std::array<std::uint8_t, kPublicKeySize>;

// X25519. The secret is the 32-byte scalar; public = X25519(secret, base point).
struct BoxKeyPair {
  PublicKey public_key{};
  SecretArray<32> secret_key;
};

// Ed25519. secret_key uses libsodium's layout, seed || public key; the seed
// alone determines the pair and is what key files store.
struct SignKeyPair {
  PublicKey public_key{};
  SecretArray<64> secret_key;

  SecretArray<32> seed() const;
};

BoxKeyPair box_keypair();
// The pair of a given secret scalar (public = X25519(secret, 9)).
BoxKeyPair box_keypair_from_secret(const SecretArray<32>& secret);
// True when secret_key's public half is public_key (constant-time compare).
bool box_keypair_check(const BoxKeyPair& pair);

// X25519(scalar, u) of RFC 7748 §5: the Diffie-Hellman function that
// crypto_kx hashes into the bundle's stream keys. The scalar is clamped and
// u's top bit ignored, as the RFC says. Error(wrong_key) when u is a
// low-order point (the result would be all zeros, the same for every scalar).
SecretArray<32> x25519(const SecretArray<32>& scalar, const PublicKey& u);

SignKeyPair sign_keypair();
SignKeyPair sign_keypair_from_seed(const SecretArray<32>& seed);
// True when the pair is exactly what its seed derives (both halves).
bool sign_keypair_check(const SignKeyPair& pair);
// True for a canonical Ed25519 point outside the small-order subgroup.
bool sign_public_key_valid(const PublicKey& public_key);

}  // namespace chartlock::crypto
