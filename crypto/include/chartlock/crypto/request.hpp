// SPDX-License-Identifier: Apache-2.0
// Signed relay requests (docs/relay-protocol.md, "Request signing"): every
// request to the relay carries an Authorization header
//
//   Chartlock-Ed25519 key="<pk>", ts="<unix>", nonce="<16 bytes>", sig="<64 bytes>"
//
// (key, nonce, sig base64url without padding) where sig is a pure Ed25519
// signature (crypto_sign_detached) by key over the signing string
//
//   "chartlock-relay-v1\n" METHOD "\n" TARGET "\n" ts "\n" nonce "\n" hex(BLAKE2b-256(body))
//
// TARGET is the request target exactly as sent (path and query). One
// implementation for the relay, the tool's CLI and the widget (wasm).
// The skew window and nonce memory are the verifier's business, not this file's.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/bytes.hpp"
#include "chartlock/crypto/keys.hpp"

namespace chartlock::crypto {

inline constexpr const char* kRequestScheme = "Chartlock-Ed25519";
inline constexpr const char* kRequestContext = "chartlock-relay-v1";
inline constexpr std::size_t kRequestNonceSize = 16;
inline constexpr std::size_t kRequestSignatureSize = 64;
// Longest header value request_auth_parse accepts (a valid one is ~190 bytes).
inline constexpr std::size_t kRequestHeaderMaxSize = 512;

using RequestNonce = std::array<std::uint8_t, kRequestNonceSize>;
using RequestSignature = std::array<std::uint8_t, kRequestSignatureSize>;

// A parsed Authorization header. Nothing in it is verified yet.
struct SignedRequest {
  PublicKey key{};               // the signer's Ed25519 public key
  std::int64_t timestamp = 0;    // unix seconds, as signed
  RequestNonce nonce{};
  RequestSignature signature{};
};

// BLAKE2b-256 (unkeyed) of a request body; an empty body has a digest too.
Digest request_body_digest(ByteView body);

// The exact text that is signed. Error(invalid_argument) for a method that is
// not 1..16 uppercase letters, a target that does not start with '/' or holds
// bytes outside 0x21..0x7E, or a negative timestamp.
std::string request_signing_string(std::string_view method, std::string_view target,
                                   std::int64_t timestamp, const RequestNonce& nonce,
                                   const Digest& body_digest);

// The Authorization header value for a request, with a fresh random nonce.
// Errors: those of request_signing_string; wrong_key when the pair's halves
// do not match.
std::string request_sign(std::string_view method, std::string_view target, ByteView body,
                         std::int64_t timestamp, const SignKeyPair& key);
// The same with a caller-chosen nonce (test vectors; never reuse a nonce).
std::string request_sign(std::string_view method, std::string_view target, ByteView body,
                         std::int64_t timestamp, const RequestNonce& nonce, const SignKeyPair& key);

// Parses a header value strictly: the scheme, then the four parameters, each
// exactly once, in any order, separated by "," and optional spaces (scheme
// and names case-insensitive, RFC 7235); values canonical (ts: decimal digits without a leading zero, at most 12 digits).
// Error(malformed) naming the defect; the message never echoes the input.
SignedRequest request_auth_parse(std::string_view header);

// Error(bad_signature) unless auth.signature is auth.key's signature over the
// request (an invalid or small-order key fails the same way). Error(malformed)
// for a method or target request_signing_string refuses.
void request_auth_verify(const SignedRequest& auth, std::string_view method,
                         std::string_view target, const Digest& body_digest);

}  // namespace chartlock::crypto
