// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/encoding.hpp"

#include <sodium.h>

#include <algorithm>

#include "chartlock/crypto/detail/sodium.hpp"
#include "chartlock/crypto/error.hpp"

namespace chartlock::crypto {
namespace {

constexpr int kB64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

bool base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// The alphabet only, and a length that unpadded base64 can have (4n/3
// characters rounded up: never 1 mod 4).
bool base64_shape_ok(std::string_view text) {
  return text.size() % 4 != 1 && std::all_of(text.begin(), text.end(), base64url_char);
}
std::size_t base64_decoded_size(std::size_t chars) { return chars / 4 * 3 + (chars % 4 ? chars % 4 - 1 : 0); }

template <class String>
String base64_encode_as(ByteView bytes) {
  detail::ensure_sodium();
  const std::size_t cap = sodium_base64_ENCODED_LEN(bytes.size(), kB64Variant);
  String out(cap, '\0');  // includes the terminating NUL sodium writes
  sodium_bin2base64(out.data(), cap, bytes.data(), bytes.size(), kB64Variant);
  out.resize(cap - 1);
  return out;
}

// Decodes `text` into exactly out_size bytes; false on any defect.
bool base64_decode_into(std::string_view text, std::uint8_t* out, std::size_t out_size) {
  detail::ensure_sodium();
  if (!base64_shape_ok(text) || base64_decoded_size(text.size()) != out_size) return false;
  if (text.empty()) return true;  // out may be null: nothing to decode
  std::size_t written = 0;
  const char* end = nullptr;
  const int rc = sodium_base642bin(out, out_size, text.data(), text.size(), nullptr, &written,
                                   &end, kB64Variant);
  return rc == 0 && written == out_size && end == text.data() + text.size();
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string hex_encode(ByteView bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

Bytes hex_decode(std::string_view hex) {
  if (hex.size() % 2 != 0) throw Error(ErrorCode::malformed, "hex string has an odd length");
  Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit(hex[2 * i]);
    const int lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) throw Error(ErrorCode::malformed, "hex string has a non-hex character");
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string base64url_encode(ByteView bytes) { return base64_encode_as<std::string>(bytes); }

SecretString base64url_encode_secret(ByteView bytes) { return base64_encode_as<SecretString>(bytes); }

Bytes base64url_decode(std::string_view text) {
  if (!base64_shape_ok(text)) throw Error(ErrorCode::malformed, "is not valid base64url");
  Bytes out(base64_decoded_size(text.size()));
  if (!base64_decode_into(text, out.data(), out.size())) {
    throw Error(ErrorCode::malformed, "is not valid base64url");
  }
  return out;
}

void base64url_decode_exact(std::string_view text, std::uint8_t* out, std::size_t size) {
  if (base64_shape_ok(text) && base64_decoded_size(text.size()) != size) {
    throw Error(ErrorCode::malformed, "has " + std::to_string(base64_decoded_size(text.size())) +
                                          " bytes, expected " + std::to_string(size));
  }
  if (!base64_decode_into(text, out, size)) {
    wipe(out, size);  // a partial decode of a secret must not linger
    throw Error(ErrorCode::malformed, "is not valid base64url");
  }
}

}  // namespace chartlock::crypto
