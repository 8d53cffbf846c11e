// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/key_file.hpp"

#include <sodium.h>

#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"

namespace chartlock::crypto {
namespace {

constexpr const char* kSecretType = "chartlock-keys";
constexpr const char* kPublicType = "chartlock-public-keys";

// A JSON document whose strings and containers live in wiping memory, so the
// parsed secrets (and the lexer's token buffer) are zeroed when freed. The
// lexer's raw-token copy for error messages is outside our reach: best effort.
using SecretJson = nlohmann::basic_json<std::map, std::vector, SecretString, bool, std::int64_t,
                                        std::uint64_t, double, SecretAllocator>;

[[noreturn]] void fail(ErrorCode code, const std::string& what) {
  throw Error(code, what);
}

SecretJson parse(std::string_view text, const char* kind) {
  SecretJson doc = SecretJson::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) fail(ErrorCode::malformed, std::string(kind) + " is not valid JSON");
  if (!doc.is_object()) fail(ErrorCode::malformed, std::string(kind) + " is not a JSON object");
  return doc;
}

// Rejects fields outside `allowed` and reports the first missing one.
void expect_fields(const SecretJson& obj, const std::string& where,
                   std::initializer_list<const char*> allowed) {
  for (const auto& item : obj.items()) {
    bool known = false;
    for (const char* name : allowed) known = known || item.key() == name;
    if (!known) fail(ErrorCode::malformed, where + " has an unexpected field");
  }
  for (const char* name : allowed) {
    if (!obj.contains(name)) fail(ErrorCode::malformed, where + " is missing \"" + name + "\"");
  }
}

// Checks "type" first, so that a key file of the other kind, or some other
// JSON file, gets a message that says what it is.
void expect_header(const SecretJson& doc, const char* kind, const char* type,
                   const char* other_type, const char* other_message) {
  const auto t = doc.find("type");
  if (t != doc.end() && t->is_string() && *t == other_type) fail(ErrorCode::malformed, other_message);
  if (t == doc.end() || !t->is_string() || *t != type) {
    fail(ErrorCode::malformed, std::string(kind) + ": \"type\" is not \"" + type + "\"");
  }
  const auto v = doc.find("version");
  if (v == doc.end() || !v->is_number_integer()) {
    fail(ErrorCode::malformed, std::string(kind) + ": \"version\" is missing or not an integer");
  }
  if (*v != 1) fail(ErrorCode::unsupported_version, std::string(kind) + ": version is not 1");
}

const SecretJson& object_field(const SecretJson& doc, const char* name, const char* kind) {
  const SecretJson& obj = doc.at(name);
  if (!obj.is_object()) fail(ErrorCode::malformed, std::string(kind) + ": \"" + name + "\" is not an object");
  return obj;
}

// Decodes the base64url string at obj[name] into exactly `size` bytes.
void decode_key(const SecretJson& obj, const std::string& field, const char* name,
                std::uint8_t* out, std::size_t size) {
  const SecretJson& value = obj.at(name);
  if (!value.is_string()) fail(ErrorCode::malformed, field + " is not a string");
  const SecretString& text = value.get_ref<const SecretString&>();
  try {
    base64url_decode_exact(std::string_view(text.data(), text.size()), out, size);
  } catch (const Error& e) {
    fail(ErrorCode::malformed, field + " " + e.what());
  }
}

void append(SecretString& out, std::string_view s) { out.append(s.data(), s.size()); }

}  // namespace

KeySet keyset_generate() { return KeySet{box_keypair(), sign_keypair()}; }

PublicKeySet keyset_public(const KeySet& keys) {
  return PublicKeySet{keys.x25519.public_key, keys.ed25519.public_key};
}

SecretString key_file_encode(const KeySet& keys) {
  // Written by hand rather than through a JSON serializer, whose internal
  // buffers would keep copies of the secrets.
  SecretString out;
  out.reserve(320);
  append(out, "{\n  \"type\": \"");
  append(out, kSecretType);
  append(out, "\",\n  \"version\": 1,\n  \"x25519\": {\n    \"public\": \"");
  append(out, base64url_encode(keys.x25519.public_key));
  append(out, "\",\n    \"secret\": \"");
  out += base64url_encode_secret(keys.x25519.secret_key.view());
  append(out, "\"\n  },\n  \"ed25519\": {\n    \"public\": \"");
  append(out, base64url_encode(keys.ed25519.public_key));
  append(out, "\",\n    \"seed\": \"");
  out += base64url_encode_secret(keys.ed25519.seed().view());
  append(out, "\"\n  }\n}\n");
  return out;
}

KeySet key_file_decode(std::string_view text) {
  const char* kind = "secret key file";
  const SecretJson doc = parse(text, kind);
  expect_header(doc, kind, kSecretType, kPublicType,
                "this is a public key file (.pub); the secret key file (.key) is needed");
  expect_fields(doc, kind, {"type", "version", "x25519", "ed25519"});
  const SecretJson& x = object_field(doc, "x25519", kind);
  const SecretJson& ed = object_field(doc, "ed25519", kind);
  expect_fields(x, "x25519", {"public", "secret"});
  expect_fields(ed, "ed25519", {"public", "seed"});

  KeySet keys;
  decode_key(x, "x25519.public", "public", keys.x25519.public_key.data(), kPublicKeySize);
  decode_key(x, "x25519.secret", "secret", keys.x25519.secret_key.data(), 32);
  PublicKey ed_public{};
  SecretArray<32> seed;
  decode_key(ed, "ed25519.public", "public", ed_public.data(), kPublicKeySize);
  decode_key(ed, "ed25519.seed", "seed", seed.data(), seed.size());

  if (!box_keypair_check(keys.x25519)) {
    fail(ErrorCode::wrong_key, "x25519.secret does not match x25519.public");
  }
  keys.ed25519 = sign_keypair_from_seed(seed);
  if (sodium_memcmp(keys.ed25519.public_key.data(), ed_public.data(), kPublicKeySize) != 0) {
    fail(ErrorCode::wrong_key, "ed25519.seed does not match ed25519.public");
  }
  return keys;
}

std::string public_key_file_encode(const PublicKeySet& keys) {
  nlohmann::ordered_json doc;
  doc["type"] = kPublicType;
  doc["version"] = 1;
  doc["x25519"] = base64url_encode(keys.x25519);
  doc["ed25519"] = base64url_encode(keys.ed25519);
  return doc.dump(2) + "\n";
}

PublicKeySet public_key_file_decode(std::string_view text) {
  const char* kind = "public key file";
  const SecretJson doc = parse(text, kind);
  expect_header(doc, kind, kPublicType, kSecretType,
                "this is a secret key file (.key), not a public key file (.pub)");
  expect_fields(doc, kind, {"type", "version", "x25519", "ed25519"});
  PublicKeySet keys;
  decode_key(doc, "x25519", "x25519", keys.x25519.data(), kPublicKeySize);
  decode_key(doc, "ed25519", "ed25519", keys.ed25519.data(), kPublicKeySize);
  if (!sign_public_key_valid(keys.ed25519)) {
    fail(ErrorCode::wrong_key, "ed25519 is not a valid Ed25519 public key");
  }
  return keys;
}

}  // namespace chartlock::crypto
