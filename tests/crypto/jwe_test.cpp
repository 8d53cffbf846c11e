// SPDX-License-Identifier: Apache-2.0
// The SMART Health Link JWE (jwe.hpp) and the link's other secrets (shl.hpp).
// Interoperability with an independent JWE implementation is checked by
// tests/js/shl-decode.test.mjs (jose).
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/jwe.hpp"
#include "chartlock/crypto/shl.hpp"
#include "support.hpp"

using namespace chartlock::crypto;
using namespace chartlock::crypto::test;

namespace {

std::vector<std::string> parts_of(const std::string& compact) {
  std::vector<std::string> out(1);
  for (char c : compact) {
    if (c == '.') out.emplace_back();
    else out.back() += c;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "." : "") + parts[i];
  return out;
}

std::string text_of(const SecretBytes& b) { return std::string(b.begin(), b.end()); }

// A valid base64url text of the same length with one bit of its first byte flipped.
std::string flip_first_byte(const std::string& b64) {
  Bytes raw = base64url_decode(b64);
  raw.at(0) ^= 0x01;
  return base64url_encode(raw);
}

// False (with a warning) where libsodium has no AES-GCM: wasm, old CPUs.
bool aes_gcm_here() {
  if (jwe_available()) return true;
  WARN("no AES-256-GCM here: the JWE round trips are not run");
  return false;
}

}  // namespace

TEST_CASE("JWE: without AES-GCM on the CPU, a clear error instead of a result", "[jwe]") {
  if (jwe_available()) return;
  const auto what = [] {
    try {
      jwe_encrypt(bytes_of("x"), jwe_key(), "text/plain");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  }();
  CHECK(what.find("AES-256-GCM is not available") != std::string::npos);
}

TEST_CASE("JWE: the compact form and its header are the SHL profile", "[jwe]") {
  if (!aes_gcm_here()) return;
  const JweKey key = jwe_key();
  const std::string jwe = jwe_encrypt(bytes_of("{\"resourceType\":\"Bundle\"}"), key, "application/fhir+json");
  const auto parts = parts_of(jwe);
  REQUIRE(parts.size() == 5);
  CHECK(parts[1].empty());
  const Bytes header = base64url_decode(parts[0]);
  CHECK(std::string(header.begin(), header.end()) ==
        R"({"alg":"dir","enc":"A256GCM","cty":"application/fhir+json"})");
  CHECK(base64url_decode(parts[2]).size() == 12);
  CHECK(base64url_decode(parts[3]).size() == std::string("{\"resourceType\":\"Bundle\"}").size());
  CHECK(base64url_decode(parts[4]).size() == 16);
  CHECK(jwe_inspect(jwe).content_type == "application/fhir+json");
  // A fresh iv every time: the same plaintext never encrypts the same way.
  CHECK(jwe_encrypt(bytes_of("x"), key, "text/plain") != jwe_encrypt(bytes_of("x"), key, "text/plain"));
}

TEST_CASE("JWE: round trip, including empty and large plaintexts", "[jwe]") {
  if (!aes_gcm_here()) return;
  const JweKey key = jwe_key();
  for (const std::string& text : {std::string(), std::string("a"), std::string(100000, 'z')}) {
    const JweContent c = jwe_decrypt(jwe_encrypt(bytes_of(text), key, "application/fhir+json"), key);
    CHECK(c.content_type == "application/fhir+json");
    CHECK(text_of(c.plaintext) == text);
  }
}

TEST_CASE("JWE: AES-256-GCM over the header as libsodium computes it", "[jwe]") {
  if (!aes_gcm_here()) return;
  const JweKey key = jwe_key();
  const std::string jwe = jwe_encrypt(bytes_of("hello"), key, "text/plain");
  const auto p = parts_of(jwe);
  Bytes sealed = base64url_decode(p[3]);
  const Bytes tag = base64url_decode(p[4]);
  sealed.insert(sealed.end(), tag.begin(), tag.end());
  const Bytes iv = base64url_decode(p[2]);
  unsigned char out[5];
  unsigned long long n = 0;
  REQUIRE(crypto_aead_aes256gcm_decrypt(out, &n, nullptr, sealed.data(), sealed.size(),
                                        reinterpret_cast<const unsigned char*>(p[0].data()), p[0].size(), iv.data(),
                                        key.data()) == 0);
  CHECK(std::string(reinterpret_cast<char*>(out), n) == "hello");
}

TEST_CASE("JWE: a wrong key or any changed part is refused", "[jwe]") {
  if (!aes_gcm_here()) return;
  const JweKey key = jwe_key();
  const std::string jwe = jwe_encrypt(bytes_of("the patient's summary"), key, "application/fhir+json");
  CHECK(outcome([&] { jwe_decrypt(jwe, jwe_key()); }) == "tampered");
  for (std::size_t i : {std::size_t{2}, std::size_t{3}, std::size_t{4}}) {
    auto p = parts_of(jwe);
    p[i] = flip_first_byte(p[i]);
    CHECK(outcome([&] { jwe_decrypt(join(p), key); }) == "tampered");
  }
  // The header is authenticated: the same valid header spelled differently fails.
  auto p = parts_of(jwe);
  p[0] = base64url_encode(bytes_of(R"({"enc":"A256GCM","alg":"dir","cty":"application/fhir+json"})"));
  CHECK(outcome([&] { jwe_decrypt(join(p), key); }) == "tampered");
  // Truncated ciphertext.
  p = parts_of(jwe);
  p[3] = p[3].substr(0, p[3].size() - 4);
  CHECK(outcome([&] { jwe_decrypt(join(p), key); }) == "tampered");
}

TEST_CASE("JWE: structure and header checks say what is wrong", "[jwe]") {
  const auto header = [](const std::string& json) { return base64url_encode(bytes_of(json)); };
  const std::string iv = base64url_encode(Bytes(12, 1)), tag = base64url_encode(Bytes(16, 2));
  const std::string good = header(R"({"alg":"dir","enc":"A256GCM"})");
  const auto inspect = [&](const std::string& compact) {
    try {
      jwe_inspect(compact);
      return std::string("ok");
    } catch (const Error& e) {
      return std::string(to_string(e.code())) + ": " + e.what();
    }
  };
  CHECK(inspect(good + ".." + iv + ".AAAA." + tag) == "ok");
  CHECK(inspect("") .find("five parts") != std::string::npos);
  CHECK(inspect(good + ".." + iv + ".AAAA") .find("five parts") != std::string::npos);
  CHECK(inspect(good + ".." + iv + ".AAAA." + tag + ".x").find("five parts") != std::string::npos);
  CHECK(inspect(header(R"({"alg":"RSA-OAEP","enc":"A256GCM"})") + ".." + iv + ".AAAA." + tag).find("alg") !=
        std::string::npos);
  CHECK(inspect(header(R"({"alg":"dir","enc":"A128GCM"})") + ".." + iv + ".AAAA." + tag).find("enc") !=
        std::string::npos);
  CHECK(inspect(header(R"({"alg":"dir","enc":"A256GCM","zip":"DEF"})") + ".." + iv + ".AAAA." + tag).find("zip") !=
        std::string::npos);
  CHECK(inspect(header("[1]") + ".." + iv + ".AAAA." + tag).find("not a JSON object") != std::string::npos);
  CHECK(inspect(good + ".AAAA." + iv + ".AAAA." + tag).find("empty encrypted key") != std::string::npos);
  CHECK(inspect(good + "..AAAA.AAAA." + tag).find("iv") != std::string::npos);
  CHECK(inspect(good + ".." + iv + ".AAAA.AAAA").find("tag") != std::string::npos);
  CHECK(inspect(good + ".." + iv + ".A=A." + tag).find("malformed") == 0);
  CHECK(outcome([] { jwe_encrypt(bytes_of("x"), jwe_key(), ""); }) == "invalid-argument");
  CHECK(outcome([] { jwe_encrypt(bytes_of("x"), jwe_key(), "a\nb"); }) == "invalid-argument");
}

TEST_CASE("SHL: ids are random, management keys are per link and reproducible", "[jwe][shl]") {
  CHECK(shl_id() != shl_id());
  const SignKeyPair patient = sign_keypair();
  const ShlId a = shl_id(), b = shl_id();
  CHECK(shl_management_key(patient, a).public_key == shl_management_key(patient, a).public_key);
  CHECK(shl_management_key(patient, a).public_key != shl_management_key(patient, b).public_key);
  CHECK(shl_management_key(patient, a).public_key != shl_management_key(sign_keypair(), a).public_key);
  CHECK(shl_management_key(patient, a).public_key != patient.public_key);
  CHECK(sign_keypair_check(shl_management_key(patient, a)));
}

TEST_CASE("SHL: the passcode hash verifies the passcode and nothing else", "[jwe][shl]") {
  const std::string h = shl_passcode_hash("1234");
  CHECK(h.rfind("$argon2id$", 0) == 0);
  CHECK(h.find("1234") == std::string::npos);
  CHECK(shl_passcode_verify(h, "1234"));
  CHECK_FALSE(shl_passcode_verify(h, "1235"));
  CHECK_FALSE(shl_passcode_verify(h, ""));
  CHECK_FALSE(shl_passcode_verify("not a hash", "1234"));
  CHECK(shl_passcode_hash("1234") != h);  // salted
  CHECK(outcome([] { shl_passcode_hash(""); }) == "invalid-argument");
}
