// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/request.hpp"

#include <sodium.h>

#include <algorithm>
#include <optional>

#include "chartlock/crypto/detail/sodium.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/signature.hpp"

namespace chartlock::crypto {
namespace {

constexpr std::size_t kMaxTimestampDigits = 12;

bool valid_method(std::string_view method) {
  return !method.empty() && method.size() <= 16 &&
         std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// ASCII case-insensitive equality: RFC 7235 matches auth schemes and
// parameter names that way.
bool iequals(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

bool valid_target(std::string_view target) {
  return !target.empty() && target[0] == '/' &&
         std::all_of(target.begin(), target.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

// Checks the pieces the signing string is built from; `code` is the error a
// bad piece gets (the signer's mistake vs. a verifier's bad input).
void check_pieces(std::string_view method, std::string_view target, std::int64_t timestamp,
                  ErrorCode code) {
  if (!valid_method(method)) throw Error(code, "request method must be 1..16 uppercase letters");
  if (!valid_target(target)) throw Error(code, "request target must start with '/' and be printable ASCII without spaces");
  if (timestamp < 0) throw Error(code, "request timestamp must not be negative");
}

std::string build_signing_string(std::string_view method, std::string_view target,
                                 std::int64_t timestamp, const RequestNonce& nonce,
                                 const Digest& body_digest) {
  std::string s;
  s.reserve(160 + target.size());
  s.append(kRequestContext).append("\n");
  s.append(method).append("\n");
  s.append(target).append("\n");
  s.append(std::to_string(timestamp)).append("\n");
  s.append(base64url_encode(nonce)).append("\n");
  s.append(hex_encode(body_digest));
  return s;
}

// One `name="value"` parameter; advances `rest` past it and its separator.
struct Param {
  std::string_view name;
  std::string_view value;
};

std::optional<Param> next_param(std::string_view& rest) {
  const auto eq = rest.find('=');
  if (eq == std::string_view::npos || eq == 0) return std::nullopt;
  Param p{rest.substr(0, eq), {}};
  if (eq + 1 >= rest.size() || rest[eq + 1] != '"') return std::nullopt;
  const auto close = rest.find('"', eq + 2);
  if (close == std::string_view::npos) return std::nullopt;
  p.value = rest.substr(eq + 2, close - eq - 2);
  rest.remove_prefix(close + 1);
  // Separator: optional spaces, a comma, optional spaces; or the end.
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (!rest.empty()) {
    if (rest.front() != ',') return std::nullopt;
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty()) return std::nullopt;  // a trailing comma
  }
  return p;
}

std::int64_t parse_timestamp(std::string_view text) {
  const bool digits = std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (text.empty() || !digits || text.size() > kMaxTimestampDigits || (text.size() > 1 && text[0] == '0')) {
    throw Error(ErrorCode::malformed, "authorization: ts must be unix seconds in decimal");
  }
  std::int64_t v = 0;
  for (char c : text) v = v * 10 + (c - '0');
  return v;
}

template <std::size_t N>
void decode_field(std::string_view text, std::array<std::uint8_t, N>& out, const char* name) {
  try {
    base64url_decode_exact(text, out.data(), N);
  } catch (const Error& e) {
    throw Error(ErrorCode::malformed, std::string("authorization: ") + name + " " + e.what());
  }
}

}  // namespace

Digest request_body_digest(ByteView body) { return hash(body); }

std::string request_signing_string(std::string_view method, std::string_view target,
                                   std::int64_t timestamp, const RequestNonce& nonce,
                                   const Digest& body_digest) {
  check_pieces(method, target, timestamp, ErrorCode::invalid_argument);
  return build_signing_string(method, target, timestamp, nonce, body_digest);
}

std::string request_sign(std::string_view method, std::string_view target, ByteView body,
                         std::int64_t timestamp, const SignKeyPair& key) {
  detail::ensure_sodium();
  RequestNonce nonce{};
  randombytes_buf(nonce.data(), nonce.size());
  return request_sign(method, target, body, timestamp, nonce, key);
}

std::string request_sign(std::string_view method, std::string_view target, ByteView body,
                         std::int64_t timestamp, const RequestNonce& nonce, const SignKeyPair& key) {
  detail::ensure_sodium();
  const std::string message =
      request_signing_string(method, target, timestamp, nonce, request_body_digest(body));
  if (!sign_keypair_check(key)) {
    throw Error(ErrorCode::wrong_key, "the signing key's halves do not match");
  }
  const RequestSignature sig = sign_detached(message, key);
  std::string header = kRequestScheme;
  header.append(" key=\"").append(base64url_encode(key.public_key));
  header.append("\", ts=\"").append(std::to_string(timestamp));
  header.append("\", nonce=\"").append(base64url_encode(nonce));
  header.append("\", sig=\"").append(base64url_encode(sig)).append("\"");
  return header;
}

SignedRequest request_auth_parse(std::string_view header) {
  if (header.size() > kRequestHeaderMaxSize) {
    throw Error(ErrorCode::malformed, "authorization: the header is too long");
  }
  const std::string_view scheme = kRequestScheme;
  if (header.size() <= scheme.size() || !iequals(header.substr(0, scheme.size()), scheme) ||
      header[scheme.size()] != ' ') {
    throw Error(ErrorCode::malformed, std::string("authorization: the scheme must be ") + kRequestScheme);
  }
  std::string_view rest = header.substr(scheme.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);

  SignedRequest out;
  bool seen_key = false, seen_ts = false, seen_nonce = false, seen_sig = false;
  while (!rest.empty()) {
    const std::optional<Param> p = next_param(rest);
    if (!p) throw Error(ErrorCode::malformed, "authorization: expected name=\"value\" parameters separated by commas");
    auto once = [](bool& seen, std::string_view name) {
      if (seen) throw Error(ErrorCode::malformed, "authorization: parameter " + std::string(name) + " appears twice");
      seen = true;
    };
    if (iequals(p->name, "key")) {
      once(seen_key, p->name);
      decode_field(p->value, out.key, "key");
    } else if (iequals(p->name, "ts")) {
      once(seen_ts, p->name);
      out.timestamp = parse_timestamp(p->value);
    } else if (iequals(p->name, "nonce")) {
      once(seen_nonce, p->name);
      decode_field(p->value, out.nonce, "nonce");
    } else if (iequals(p->name, "sig")) {
      once(seen_sig, p->name);
      decode_field(p->value, out.signature, "sig");
    } else {
      throw Error(ErrorCode::malformed, "authorization: unknown parameter (expected key, ts, nonce, sig)");
    }
  }
  for (const auto& [seen, name] : {std::pair{seen_key, "key"}, std::pair{seen_ts, "ts"},
                                   std::pair{seen_nonce, "nonce"}, std::pair{seen_sig, "sig"}}) {
    if (!seen) throw Error(ErrorCode::malformed, std::string("authorization: parameter ") + name + " is missing");
  }
  return out;
}

void request_auth_verify(const SignedRequest& auth, std::string_view method,
                         std::string_view target, const Digest& body_digest) {
  detail::ensure_sodium();
  check_pieces(method, target, auth.timestamp, ErrorCode::malformed);
  const std::string message = build_signing_string(method, target, auth.timestamp, auth.nonce, body_digest);
  // libsodium rejects non-canonical signatures and small-order or
  // non-canonical keys as well as a signature that does not match.
  if (!verify_detached(auth.signature, message, auth.key)) {
    throw Error(ErrorCode::bad_signature, "the request signature does not verify with the key given");
  }
}

}  // namespace chartlock::crypto
