// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/jwe.hpp"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "chartlock/crypto/detail/sodium.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"

namespace chartlock::crypto {
namespace {

static_assert(crypto_aead_aes256gcm_KEYBYTES == kJweKeySize);
constexpr std::size_t kIvSize = crypto_aead_aes256gcm_NPUBBYTES;  // 12
constexpr std::size_t kTagSize = crypto_aead_aes256gcm_ABYTES;    // 16
static_assert(kIvSize == 12 && kTagSize == 16);

void require_aes_gcm() {
  if (!jwe_available()) {
    throw Error(ErrorCode::invalid_argument,
                "AES-256-GCM is not available: this CPU lacks the AES instructions libsodium needs "
                "(AES-NI and PCLMUL on x86-64, the crypto extensions on arm64)");
  }
}

struct Parts {
  std::string_view header, key, iv, ciphertext, tag;
};

Parts split(std::string_view compact) {
  std::string_view p[5];
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const std::size_t dot = compact.find('.', start);
    if ((dot == std::string_view::npos) != (i == 4)) {
      throw Error(ErrorCode::malformed, "a compact JWE has exactly five parts separated by '.'");
    }
    p[i] = compact.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    start = dot + 1;
  }
  return Parts{p[0], p[1], p[2], p[3], p[4]};
}

Bytes decode(std::string_view text, const char* part) {
  try {
    return base64url_decode(text);
  } catch (const Error& e) {
    throw Error(ErrorCode::malformed, std::string("the JWE's ") + part + " " + e.what());
  }
}

bool printable_ascii(std::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

bool jwe_available() {
  detail::ensure_sodium();
  return crypto_aead_aes256gcm_is_available() == 1;
}

JweKey jwe_key() {
  detail::ensure_sodium();
  JweKey key;
  randombytes_buf(key.data(), key.size());
  return key;
}

std::string jwe_encrypt(ByteView plaintext, const JweKey& key, std::string_view content_type) {
  if (content_type.empty() || !printable_ascii(content_type)) {
    throw Error(ErrorCode::invalid_argument, "a JWE content type is non-empty printable ASCII");
  }
  require_aes_gcm();
  // Members in this order, no spaces: the header's bytes are what is authenticated.
  const std::string header = nlohmann::ordered_json{{"alg", "dir"}, {"enc", "A256GCM"}, {"cty", content_type}}.dump();
  const std::string protected_b64 = base64url_encode(ByteView(std::string_view(header)));
  std::uint8_t iv[kIvSize];
  randombytes_buf(iv, sizeof iv);
  Bytes sealed(plaintext.size() + kTagSize);
  unsigned long long sealed_size = 0;
  crypto_aead_aes256gcm_encrypt(sealed.data(), &sealed_size, plaintext.data(), plaintext.size(),
                                reinterpret_cast<const unsigned char*>(protected_b64.data()), protected_b64.size(),
                                nullptr, iv, key.data());
  // libsodium appends the tag to the ciphertext; JWE keeps them apart.
  const std::size_t text_size = static_cast<std::size_t>(sealed_size) - kTagSize;
  std::string out = protected_b64;
  out += "..";
  out += base64url_encode(ByteView(iv, sizeof iv));
  out += '.';
  out += base64url_encode(ByteView(sealed.data(), text_size));
  out += '.';
  out += base64url_encode(ByteView(sealed.data() + text_size, kTagSize));
  return out;
}

JweHeader jwe_inspect(std::string_view compact) {
  const Parts p = split(compact);
  const Bytes header_bytes = decode(p.header, "protected header");
  const auto header = nlohmann::json::parse(header_bytes.begin(), header_bytes.end(), nullptr, false);
  if (!header.is_object()) throw Error(ErrorCode::malformed, "the JWE's protected header is not a JSON object");
  const auto member = [&](const char* name) -> std::string {
    const auto it = header.find(name);
    if (it == header.end()) return {};
    if (!it->is_string()) throw Error(ErrorCode::malformed, std::string("the JWE header's ") + name + " is not a string");
    return it->get<std::string>();
  };
  if (member("alg") != "dir") throw Error(ErrorCode::malformed, "the JWE header's alg is not \"dir\"");
  if (member("enc") != "A256GCM") throw Error(ErrorCode::malformed, "the JWE header's enc is not \"A256GCM\"");
  if (header.contains("zip")) throw Error(ErrorCode::malformed, "compressed JWE (zip) is not accepted");
  if (header.contains("crit")) throw Error(ErrorCode::malformed, "the JWE header has critical extensions (crit)");
  if (!p.key.empty()) throw Error(ErrorCode::malformed, "a JWE with alg \"dir\" has an empty encrypted key");
  if (decode(p.iv, "iv").size() != kIvSize) throw Error(ErrorCode::malformed, "the JWE's iv is not 12 bytes");
  if (decode(p.tag, "tag").size() != kTagSize) throw Error(ErrorCode::malformed, "the JWE's tag is not 16 bytes");
  decode(p.ciphertext, "ciphertext");
  JweHeader h;
  h.content_type = member("cty");
  if (!printable_ascii(h.content_type)) throw Error(ErrorCode::malformed, "the JWE header's cty is not printable ASCII");
  return h;
}

JweContent jwe_decrypt(std::string_view compact, const JweKey& key) {
  JweHeader h = jwe_inspect(compact);
  require_aes_gcm();
  const Parts p = split(compact);
  const Bytes iv = decode(p.iv, "iv");
  Bytes sealed = decode(p.ciphertext, "ciphertext");
  const Bytes tag = decode(p.tag, "tag");
  sealed.insert(sealed.end(), tag.begin(), tag.end());
  JweContent out;
  out.content_type = std::move(h.content_type);
  out.plaintext.resize(sealed.size() - kTagSize);
  unsigned long long size = 0;
  if (crypto_aead_aes256gcm_decrypt(out.plaintext.data(), &size, nullptr, sealed.data(), sealed.size(),
                                    reinterpret_cast<const unsigned char*>(p.header.data()), p.header.size(),
                                    iv.data(), key.data()) != 0) {
    throw Error(ErrorCode::tampered, "the JWE does not decrypt with this key (wrong key, or changed)");
  }
  out.plaintext.resize(static_cast<std::size_t>(size));
  return out;
}

}  // namespace chartlock::crypto
