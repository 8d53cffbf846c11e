// SPDX-License-Identifier: Apache-2.0
// Pure Ed25519 signatures (RFC 8032 §5.1): the whole message is signed, no
// prehash, no context. Relay requests are signed this way; share bundles use
// Ed25519ph over the streamed bundle instead (crypto/bundle).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "chartlock/crypto/bytes.hpp"
#include "chartlock/crypto/keys.hpp"

namespace chartlock::crypto {

inline constexpr std::size_t kSignatureSize = 64;
using Signature = std::array<std::uint8_t, kSignatureSize>;

// The signature of `message` by `key`. The pair must match (sign_keypair_check):
// a secret key whose embedded public half is wrong yields signatures that do
// not verify, and callers that take pairs from outside check them first.
Signature sign_detached(ByteView message, const SignKeyPair& key);

// True when `signature` is `public_key`'s signature of `message`. libsodium
// rejects non-canonical signatures and small-order or non-canonical keys.
bool verify_detached(const Signature& signature, ByteView message, const PublicKey& public_key);

}  // namespace chartlock::crypto
