// SPDX-License-Identifier: Apache-2.0
// Signed relay requests (request.hpp) and the keyless bundle check the relay
// runs on upload (bundle_verify_signature).
#include <regex>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/request.hpp"
#include "support.hpp"

using namespace chartlock::crypto;
using namespace chartlock::crypto::test;

namespace {

constexpr std::int64_t kTs = 1767225600;

// Verifies a header as the relay does: parse, then check the signature.
std::string verify_outcome(const std::string& header, const std::string& method, const std::string& target,
                           const std::string& body) {
  return outcome([&] {
    request_auth_verify(request_auth_parse(header), method, target, request_body_digest(bytes_of(body)));
  });
}

std::string parse_outcome(const std::string& header) {
  return outcome([&] { request_auth_parse(header); });
}

}  // namespace

TEST_CASE("request signing: a signed request verifies and parses back", "[request]") {
  const SignKeyPair key = sign_keypair();
  const std::string header = request_sign("PUT", "/v1/grants/00ff/bundle", bytes_of("body"), kTs, key);
  CHECK(std::regex_match(header, std::regex(R"(Chartlock-Ed25519 key="[A-Za-z0-9_-]{43}", ts="1767225600", )"
                                            R"(nonce="[A-Za-z0-9_-]{22}", sig="[A-Za-z0-9_-]{86}")")));
  const SignedRequest parsed = request_auth_parse(header);
  CHECK(parsed.key == key.public_key);
  CHECK(parsed.timestamp == kTs);
  CHECK(verify_outcome(header, "PUT", "/v1/grants/00ff/bundle", "body") == "ok");
  // Every nonce is fresh.
  CHECK(request_auth_parse(request_sign("GET", "/", {}, kTs, key)).nonce !=
        request_auth_parse(request_sign("GET", "/", {}, kTs, key)).nonce);
}

TEST_CASE("request signing: every signed field is bound", "[request]") {
  const SignKeyPair key = sign_keypair();
  const std::string header = request_sign("PUT", "/v1/grants/a/bundle?x=1", bytes_of("body"), kTs, key);
  CHECK(verify_outcome(header, "PUT", "/v1/grants/a/bundle?x=1", "body") == "ok");
  CHECK(verify_outcome(header, "GET", "/v1/grants/a/bundle?x=1", "body") == "bad-signature");
  CHECK(verify_outcome(header, "PUT", "/v1/grants/b/bundle?x=1", "body") == "bad-signature");
  CHECK(verify_outcome(header, "PUT", "/v1/grants/a/bundle?x=2", "body") == "bad-signature");
  CHECK(verify_outcome(header, "PUT", "/v1/grants/a/bundle", "body") == "bad-signature");
  CHECK(verify_outcome(header, "PUT", "/v1/grants/a/bundle?x=1", "bodY") == "bad-signature");
  CHECK(verify_outcome(header, "PUT", "/v1/grants/a/bundle?x=1", "") == "bad-signature");

  SignedRequest parsed = request_auth_parse(header);
  const Digest body = request_body_digest(bytes_of("body"));
  auto verify = [&](const SignedRequest& r) {
    return outcome([&] { request_auth_verify(r, "PUT", "/v1/grants/a/bundle?x=1", body); });
  };
  SignedRequest r = parsed;
  r.timestamp += 1;
  CHECK(verify(r) == "bad-signature");
  r = parsed;
  r.nonce[0] ^= 1;
  CHECK(verify(r) == "bad-signature");
  r = parsed;
  r.signature[10] ^= 1;
  CHECK(verify(r) == "bad-signature");
  r = parsed;
  r.key = sign_keypair().public_key;  // someone else's key
  CHECK(verify(r) == "bad-signature");
  r = parsed;
  r.key = PublicKey{};  // small order
  CHECK(verify(r) == "bad-signature");
}

TEST_CASE("request signing: bad methods, targets and times are refused", "[request]") {
  const SignKeyPair key = sign_keypair();
  for (const char* method : {"", "get", "G T", "VERYVERYLONGMETHODNAME"}) {
    CAPTURE(method);
    CHECK(outcome([&] { request_sign(method, "/", {}, kTs, key); }) == "invalid-argument");
  }
  for (const char* target : {"", "v1/grants", "/a b", "/a\nb", "/\x7f"}) {
    CAPTURE(target);
    CHECK(outcome([&] { request_sign("GET", target, {}, kTs, key); }) == "invalid-argument");
  }
  CHECK(outcome([&] { request_sign("GET", "/", {}, -1, key); }) == "invalid-argument");
  SignKeyPair mismatched = key;
  mismatched.public_key = sign_keypair().public_key;
  CHECK(outcome([&] { request_sign("GET", "/", {}, kTs, mismatched); }) == "wrong-key");
  // A verifier given a bad target reports malformed, not a signature failure.
  const std::string header = request_sign("GET", "/", {}, kTs, key);
  CHECK(verify_outcome(header, "GET", "no-slash", "") == "malformed");
}

TEST_CASE("request signing: the header parser is strict", "[request]") {
  const SignKeyPair key = sign_keypair();
  const SignedRequest ok = request_auth_parse(request_sign("GET", "/", {}, kTs, key));
  const std::string k = base64url_encode(ok.key), n = base64url_encode(ok.nonce),
                    s = base64url_encode(ok.signature);
  auto make = [&](const std::string& params) { return std::string("Chartlock-Ed25519 ") + params; };
  const std::string kq = "key=\"" + k + "\"", tq = "ts=\"1767225600\"", nq = "nonce=\"" + n + "\"",
                    sq = "sig=\"" + s + "\"";

  // Any order, spaces around commas.
  CHECK(parse_outcome(make(sq + "," + nq + " ,  " + tq + ", " + kq)) == "ok");
  CHECK(parse_outcome(make(kq + ", " + tq + ", " + nq + ", " + sq)) == "ok");
  // RFC 7235: the scheme and parameter names are case-insensitive.
  CHECK(parse_outcome("chartlock-ED25519 K" + kq.substr(1) + ", " + tq + ", " + nq + ", " + sq) == "ok");

  const std::string bad[] = {
      "",
      "Chartlock-Ed25519",
      "Bearer " + kq,
      make(kq + ", " + tq + ", " + nq),                                  // sig missing
      make(kq + ", " + tq + ", " + nq + ", " + sq + ", " + sq),          // twice
      make(kq + ", " + tq + ", " + nq + ", " + sq + ", x=\"1\""),        // unknown
      make(kq + ", " + tq + ", " + nq + ", " + sq + ","),                // trailing comma
      make(kq + " " + tq + ", " + nq + ", " + sq),                       // no comma
      make("key=" + k + ", " + tq + ", " + nq + ", " + sq),              // unquoted
      make("key=\"" + k + ", " + tq + ", " + nq + ", " + sq),            // unterminated
      make("key=\"" + k + "=\", " + tq + ", " + nq + ", " + sq),         // padding
      make("key=\"" + k.substr(1) + "\", " + tq + ", " + nq + ", " + sq),  // short key
      make(kq + ", ts=\"01767225600\", " + nq + ", " + sq),              // leading zero
      make(kq + ", ts=\"-1\", " + nq + ", " + sq),
      make(kq + ", ts=\"1234567890123\", " + nq + ", " + sq),            // 13 digits
      make(kq + ", ts=\"\", " + nq + ", " + sq),
      make(kq + ", " + tq + ", nonce=\"" + n + "AA\", " + sq),           // 17+ bytes
      make(kq + ", " + tq + ", " + nq + ", sig=\"" + s.substr(0, 80) + "\""),
      make(kq + ", " + tq + ", " + nq + ", " + sq + std::string(400, ' ')),  // too long
  };
  for (const std::string& h : bad) {
    CAPTURE(h);
    CHECK(parse_outcome(h) == "malformed");
  }
  // Messages never echo the input.
  try {
    request_auth_parse(make("key=\"" + k.substr(1) + "\", " + tq + ", " + nq + ", " + sq));
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find(k.substr(1, 10)) == std::string::npos);
  }
}

TEST_CASE("bundle_verify_signature: the relay's keyless check", "[bundle][request]") {
  const Fixture f;
  const Bytes bundle = f.seal(64);
  const BundleHeader h = bundle_verify_signature(bundle, f.patient.public_key);
  CHECK(h.sequence == 3);
  CHECK(h.signer_pk == f.patient.public_key);

  CHECK(outcome([&] { bundle_verify_signature(bundle, sign_keypair().public_key); }) == "wrong-signer");
  CHECK(outcome([&] { bundle_verify_signature(Bytes(bundle.begin(), bundle.begin() + 100), f.patient.public_key); }) == "truncated");
  CHECK(outcome([&] { bundle_verify_signature(bytes_of("not a bundle at all"), f.patient.public_key); }) == "not-a-bundle");
  CHECK(outcome([&] { bundle_verify_signature(Bytes(bundle.begin(), bundle.end() - 1), f.patient.public_key); }) == "truncated");
  CHECK(outcome([&] { bundle_verify_signature(Bytes(bundle.begin(), bundle.end() - 70), f.patient.public_key); }) == "truncated");
  CHECK(outcome([&] { bundle_verify_signature(concat({bundle, Bytes{0}}), f.patient.public_key); }) == "tampered");

  Bytes flipped = bundle;
  flipped[kBundleHeaderSize + 20] ^= 1;  // inside frame 0's ciphertext
  CHECK(outcome([&] { bundle_verify_signature(flipped, f.patient.public_key); }) == "bad-signature");
  flipped = bundle;
  flipped[130] ^= 1;  // created_at: header bytes are signed too
  CHECK(outcome([&] { bundle_verify_signature(flipped, f.patient.public_key); }) == "bad-signature");

  Bytes bad_length = bundle;
  detail::store_le<std::uint32_t>(&bad_length[kBundleHeaderSize], 5);
  CHECK(outcome([&] { bundle_verify_signature(bad_length, f.patient.public_key); }) == "malformed");
}
