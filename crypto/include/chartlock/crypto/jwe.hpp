// SPDX-License-Identifier: Apache-2.0
// JWE in compact serialization (RFC 7516 §7.1) as SMART Health Links use it
// (docs/shl.md): direct encryption with a 32-byte key ("alg":"dir"),
// AES-256-GCM ("enc":"A256GCM"), the protected header naming the content
// type ("cty"), no compression. The text is
//
//   BASE64URL(header) "." "" "." BASE64URL(iv) "." BASE64URL(ciphertext) "." BASE64URL(tag)
//
// with a random 12-byte iv, a 16-byte tag, and the ASCII of the first part as
// the additional authenticated data. AES-GCM is libsodium's hardware-only
// implementation: jwe_encrypt and jwe_decrypt throw where the CPU lacks it
// (jwe_available() says so first; WebAssembly never has it).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "chartlock/crypto/bytes.hpp"

namespace chartlock::crypto {

inline constexpr std::size_t kJweKeySize = 32;
using JweKey = SecretArray<kJweKeySize>;

// True when this CPU runs libsodium's AES-256-GCM (AES-NI and PCLMUL on x86-64,
// the ARMv8 crypto extensions on arm64).
bool jwe_available();

// A fresh random key (the system CSPRNG).
JweKey jwe_key();

// The compact JWE of `plaintext` for `content_type` (a media type, e.g.
// "application/fhir+json"). Error(invalid_argument) for an empty content type
// or one with characters outside printable ASCII, or when !jwe_available().
std::string jwe_encrypt(ByteView plaintext, const JweKey& key, std::string_view content_type);

// What the protected header says, read without the key.
struct JweHeader {
  std::string content_type;  // "cty"; empty when absent
};

// Checks the structure without the key: five parts, each base64url, an empty
// encrypted key, a 12-byte iv, a 16-byte tag, a protected header that is a
// JSON object with "alg":"dir" and "enc":"A256GCM" and no "zip" or "crit".
// Error(malformed) naming the defect; never echoes the input.
JweHeader jwe_inspect(std::string_view compact);

struct JweContent {
  std::string content_type;
  SecretBytes plaintext;
};

// jwe_inspect, then decrypts. Error(tampered) when the tag does not verify
// (a wrong key looks the same), Error(malformed) from jwe_inspect,
// Error(invalid_argument) when !jwe_available().
JweContent jwe_decrypt(std::string_view compact, const JweKey& key);

}  // namespace chartlock::crypto
