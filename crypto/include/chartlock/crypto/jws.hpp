// SPDX-License-Identifier: Apache-2.0
// ES256 JWS verification for SMART Health Cards: ECDSA over P-256 with
// SHA-256 (RFC 7518 §3.4), keys as JWKs (RFC 7517) named by their RFC 7638
// thumbprint. Verification only: Chartlock never signs a card. Over mbedTLS,
// which only this file's implementation sees.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/crypto/bytes.hpp"

namespace chartlock::crypto::jws {

// An EC P-256 public key from a JWK.
struct EcPublicKey {
  std::array<std::uint8_t, 32> x{};
  std::array<std::uint8_t, 32> y{};
  std::string kid;  // its RFC 7638 thumbprint, base64url (the JWK's kid was checked against it)
};

// base64url(SHA-256) of the key's canonical JWK {"crv","kty","x","y"} (RFC 7638 §3).
std::string thumbprint(const EcPublicKey& key);

// The EC P-256 keys of a JWKS ({"keys": [...]}). Keys of other types or
// curves are skipped (an issuer may publish others). Error(malformed) when the
// text is not a JWKS, when a P-256 key's x or y is not 32 bytes of base64url,
// is not a point on the curve, or has a kid that is not its thumbprint (the
// SMART Health Cards framework requires kid = thumbprint).
std::vector<EcPublicKey> parse_jwks(std::string_view json);

// Whether `signature` (r || s, 64 bytes, as JWS writes it) is an ES256
// signature of `signing_input` (the JWS "header.payload" text) by `key`.
// False for any other length, r or s out of range, or a mismatch.
bool verify_es256(const EcPublicKey& key, std::string_view signing_input, ByteView signature);

// SHA-256 (FIPS 180-4), for the thumbprint and its tests.
std::array<std::uint8_t, 32> sha256(ByteView data);

}  // namespace chartlock::crypto::jws
