// SPDX-License-Identifier: Apache-2.0
// Key files: JSON, keys as base64url without padding.
//
//   secret (NAME.key, mode 0600):
//     {"type":"chartlock-keys","version":1,
//      "x25519":{"public":"…","secret":"…"},"ed25519":{"public":"…","seed":"…"}}
//   public (NAME.pub):
//     {"type":"chartlock-public-keys","version":1,"x25519":"…","ed25519":"…"}
//
// Decoding is strict (unknown fields are rejected) and every error names the
// field and the defect, never the key material.
#pragma once

#include <string>
#include <string_view>

#include "chartlock/crypto/bytes.hpp"
#include "chartlock/crypto/keys.hpp"

namespace chartlock::crypto {

// A party's keys: X25519 to receive bundles, Ed25519 to sign them.
struct KeySet {
  BoxKeyPair x25519;
  SignKeyPair ed25519;
};

struct PublicKeySet {
  PublicKey x25519{};
  PublicKey ed25519{};
};

KeySet keyset_generate();
PublicKeySet keyset_public(const KeySet& keys);

// The secret key file text (wiped when freed).
SecretString key_file_encode(const KeySet& keys);
// Error(malformed) for syntax, type, missing or unknown fields, bad base64 or
// lengths; Error(unsupported_version); Error(wrong_key) when a secret does not
// match its public half.
KeySet key_file_decode(std::string_view text);

std::string public_key_file_encode(const PublicKeySet& keys);
// As key_file_decode; Error(wrong_key) for an Ed25519 key that is not a valid point.
PublicKeySet public_key_file_decode(std::string_view text);

}  // namespace chartlock::crypto
