// SPDX-License-Identifier: Apache-2.0
// Key files: round trips and every way a file can be wrong.
#include <nlohmann/json.hpp>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/key_file.hpp"
#include "support.hpp"

using namespace chartlock::crypto;
using namespace chartlock::crypto::test;
using nlohmann::json;

namespace {

std::string text_of(const SecretString& s) { return std::string(s.data(), s.size()); }

// The error of decoding `doc`, as "code: message".
template <class Decode>
std::string failure(const json& doc, Decode decode) {
  try {
    decode(doc.dump());
  } catch (const Error& e) {
    return std::string(to_string(e.code())) + ": " + e.what();
  }
  return "ok";
}

std::string secret_failure(const json& doc) {
  return failure(doc, [](const std::string& t) { key_file_decode(t); });
}
std::string public_failure(const json& doc) {
  return failure(doc, [](const std::string& t) { public_key_file_decode(t); });
}

}  // namespace

TEST_CASE("secret key files round-trip", "[keyfile]") {
  const KeySet keys = keyset_generate();
  const SecretString text = key_file_encode(keys);
  const json doc = json::parse(text_of(text));
  CHECK(doc["type"] == "chartlock-keys");
  CHECK(doc["version"] == 1);
  CHECK(doc["x25519"]["public"] == base64url_encode(keys.x25519.public_key));
  CHECK(doc["ed25519"]["seed"].get<std::string>().size() == 43);

  const KeySet back = key_file_decode(text_of(text));
  CHECK(back.x25519.public_key == keys.x25519.public_key);
  CHECK(std::equal(back.x25519.secret_key.data(), back.x25519.secret_key.data() + 32, keys.x25519.secret_key.data()));
  CHECK(back.ed25519.public_key == keys.ed25519.public_key);
  CHECK(std::equal(back.ed25519.secret_key.data(), back.ed25519.secret_key.data() + 64,
                   keys.ed25519.secret_key.data()));
  CHECK(key_file_decode(doc.dump()).ed25519.public_key == keys.ed25519.public_key);  // any JSON layout
}

TEST_CASE("public key files round-trip", "[keyfile]") {
  const KeySet keys = keyset_generate();
  const PublicKeySet pub = keyset_public(keys);
  const std::string text = public_key_file_encode(pub);
  const json doc = json::parse(text);
  CHECK(doc["type"] == "chartlock-public-keys");
  CHECK(doc["x25519"] == base64url_encode(keys.x25519.public_key));
  const PublicKeySet back = public_key_file_decode(text);
  CHECK(back.x25519 == pub.x25519);
  CHECK(back.ed25519 == pub.ed25519);
  CHECK(text.find("secret") == std::string::npos);
}

TEST_CASE("secret key file errors name the field and never the key", "[keyfile]") {
  const KeySet keys = keyset_generate();
  const json good = json::parse(text_of(key_file_encode(keys)));
  const std::string secret_b64 = good["x25519"]["secret"];
  const std::string seed_b64 = good["ed25519"]["seed"];
  auto with = [&](auto&& change) {
    json d = good;
    change(d);
    const std::string f = secret_failure(d);
    CHECK(f.find(secret_b64) == std::string::npos);
    CHECK(f.find(seed_b64) == std::string::npos);
    return f;
  };

  CHECK(with([](json&) {}) == "ok");
  CHECK(failure(json(), [](const std::string&) { key_file_decode("{not json"); }) ==
        "malformed: secret key file is not valid JSON");
  CHECK(with([](json& d) { d = json::array(); }) == "malformed: secret key file is not a JSON object");
  CHECK(with([](json& d) { d["type"] = "chartlock-public-keys"; }) ==
        "malformed: this is a public key file (.pub); the secret key file (.key) is needed");
  CHECK(with([](json& d) { d["type"] = "ssh-ed25519"; }) == "malformed: secret key file: \"type\" is not \"chartlock-keys\"");
  CHECK(with([](json& d) { d.erase("type"); }) == "malformed: secret key file: \"type\" is not \"chartlock-keys\"");
  CHECK(with([](json& d) { d["version"] = 2; }) == "unsupported-version: secret key file: version is not 1");
  CHECK(with([](json& d) { d["version"] = "1"; }) ==
        "malformed: secret key file: \"version\" is missing or not an integer");
  CHECK(with([](json& d) { d.erase("ed25519"); }) == "malformed: secret key file is missing \"ed25519\"");
  CHECK(with([](json& d) { d["comment"] = "mine"; }) == "malformed: secret key file has an unexpected field");
  CHECK(with([](json& d) { d["x25519"] = "abc"; }) == "malformed: secret key file: \"x25519\" is not an object");
  CHECK(with([](json& d) { d["x25519"].erase("secret"); }) == "malformed: x25519 is missing \"secret\"");
  CHECK(with([](json& d) { d["ed25519"]["secret"] = "x"; }) == "malformed: ed25519 has an unexpected field");
  CHECK(with([](json& d) { d["x25519"]["secret"] = 5; }) == "malformed: x25519.secret is not a string");
  CHECK(with([&](json& d) { d["x25519"]["secret"] = secret_b64 + "="; }) ==
        "malformed: x25519.secret is not valid base64url");
  CHECK(with([&](json& d) { d["x25519"]["secret"] = "!" + secret_b64.substr(1); }) ==
        "malformed: x25519.secret is not valid base64url");
  CHECK(with([&](json& d) { d["ed25519"]["seed"] = seed_b64.substr(0, 40); }) ==
        "malformed: ed25519.seed has 30 bytes, expected 32");
  CHECK(with([&](json& d) { d["ed25519"]["public"] = base64url_encode(Bytes(33)); }) ==
        "malformed: ed25519.public has 33 bytes, expected 32");

  const KeySet other = keyset_generate();
  const json other_doc = json::parse(text_of(key_file_encode(other)));
  CHECK(with([&](json& d) { d["x25519"]["secret"] = other_doc["x25519"]["secret"]; }) ==
        "wrong-key: x25519.secret does not match x25519.public");
  CHECK(with([&](json& d) { d["ed25519"]["public"] = other_doc["ed25519"]["public"]; }) ==
        "wrong-key: ed25519.seed does not match ed25519.public");
}

TEST_CASE("public key file errors", "[keyfile]") {
  const KeySet keys = keyset_generate();
  const json good = json::parse(public_key_file_encode(keyset_public(keys)));
  auto with = [&](auto&& change) {
    json d = good;
    change(d);
    return public_failure(d);
  };
  CHECK(with([](json&) {}) == "ok");
  CHECK(public_failure(json::parse(text_of(key_file_encode(keys)))) ==
        "malformed: this is a secret key file (.key), not a public key file (.pub)");
  CHECK(with([](json& d) { d["version"] = 0; }) == "unsupported-version: public key file: version is not 1");
  CHECK(with([](json& d) { d.erase("x25519"); }) == "malformed: public key file is missing \"x25519\"");
  CHECK(with([](json& d) { d["x25519"] = json::object(); }) == "malformed: x25519 is not a string");
  CHECK(with([](json& d) { d["ed25519"] = "AAAA"; }) == "malformed: ed25519 has 3 bytes, expected 32");
  CHECK(with([](json& d) { d["ed25519"] = base64url_encode(PublicKey{}); }) ==
        "wrong-key: ed25519 is not a valid Ed25519 public key");
}
