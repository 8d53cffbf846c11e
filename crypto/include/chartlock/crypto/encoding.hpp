// SPDX-License-Identifier: Apache-2.0
// Text encodings of binary values: lowercase hex (ids, digests, test vectors)
// and base64url without padding (RFC 4648 §5; keys in key files). Decoders are
// strict: one canonical spelling per value, no whitespace, no padding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "chartlock/crypto/bytes.hpp"

namespace chartlock::crypto {

// Hex is for public values (ids, digests, vectors): not constant-time.
std::string hex_encode(ByteView bytes);
// Error(malformed) on odd length or a non-hex character.
Bytes hex_decode(std::string_view hex);

std::string base64url_encode(ByteView bytes);
// The same for secrets: the result is wiped when freed.
SecretString base64url_encode_secret(ByteView bytes);
// Error(malformed) on characters outside the alphabet, padding, or
// non-canonical trailing bits.
Bytes base64url_decode(std::string_view text);
// Decodes into exactly `size` bytes at `out` (fixed-size keys, no heap copy).
// Error(malformed) whose message says "has N bytes, expected M" or "is not
// valid base64url"; callers prefix the field name. Never echoes the input.
void base64url_decode_exact(std::string_view text, std::uint8_t* out, std::size_t size);

}  // namespace chartlock::crypto
