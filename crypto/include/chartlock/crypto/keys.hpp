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
// True when secret_key's public half is public_key (constant-time compare).
bool box_keypair_check(const BoxKeyPair& pair);

SignKeyPair sign_keypair();
SignKeyPair sign_keypair_from_seed(const SecretArray<32>& seed);
// True when the pair is exactly what its seed derives (both halves).
bool sign_keypair_check(const SignKeyPair& pair);
// True for a canonical Ed25519 point outside the small-order subgroup.
bool sign_public_key_valid(const PublicKey& public_key);

}  // namespace chartlock::crypto
