// SPDX-License-Identifier: Apache-2.0
#include "protocol.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/hash.hpp"

namespace chartlock::relay {
namespace {

using nlohmann::json;

crypto::PublicKey parse_key(const json& body, const char* field) {
  const json& v = body.at(field);
  if (!v.is_string()) fail(400, "malformed", std::string(field) + " must be a string");
  crypto::PublicKey key{};
  try {
    crypto::base64url_decode_exact(v.get_ref<const std::string&>(), key.data(), key.size());
  } catch (const crypto::Error& e) {
    fail(400, "malformed", std::string(field) + " " + e.what());
  }
  if (!crypto::sign_public_key_valid(key)) fail(400, "malformed", std::string(field) + " is not a valid Ed25519 public key");
  return key;
}

}  // namespace

ApiResponse error_response(const ApiError& error) {
  ApiResponse r;
  r.status = error.status;
  r.content_type = "application/json";
  r.body = error_json(error.code, error.message);
  r.error = error.code;
  if (error.retry_after > 0) r.headers.emplace_back("Retry-After", std::to_string(error.retry_after));
  return r;
}

crypto::GrantId parse_grant_id(std::string_view text) {
  const bool ok = text.size() == 32 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
  if (!ok) fail(400, "malformed", "a grant id is 32 lowercase hex digits");
  const crypto::Bytes bytes = crypto::hex_decode(text);
  crypto::GrantId id{};
  std::copy(bytes.begin(), bytes.end(), id.begin());
  return id;
}

CreateGrant parse_create_grant(crypto::ByteView body, std::int64_t now, std::int64_t max_lifetime) {
  const json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) fail(400, "malformed", "the body must be a JSON object");
  for (const auto& item : j.items()) {
    const std::string& k = item.key();
    if (k != "grantId" && k != "patientKey" && k != "toolKey" && k != "expiresAt") {
      fail(400, "malformed", "unknown field in the body (expected grantId, patientKey, toolKey, expiresAt)");
    }
  }
  for (const char* field : {"grantId", "patientKey", "toolKey", "expiresAt"}) {
    if (!j.contains(field)) fail(400, "malformed", std::string(field) + " is missing");
  }
  CreateGrant g;
  if (!j["grantId"].is_string()) fail(400, "malformed", "grantId must be a string");
  g.grant_id = parse_grant_id(j["grantId"].get_ref<const std::string&>());
  g.patient_key = parse_key(j, "patientKey");
  g.tool_key = parse_key(j, "toolKey");
  if (g.patient_key == g.tool_key) fail(400, "malformed", "patientKey and toolKey must differ");
  const json& exp = j["expiresAt"];
  if (!exp.is_number_integer()) fail(400, "malformed", "expiresAt must be a whole number of unix seconds");
  g.expires_at = exp.get<std::int64_t>();
  if (g.expires_at <= now) fail(400, "malformed", "expiresAt is not in the future");
  if (g.expires_at - now > max_lifetime) {
    fail(400, "malformed", "expiresAt is more than " + std::to_string(max_lifetime / 86400) + " days ahead");
  }
  return g;
}

std::string created_grant_json(const crypto::GrantId& id, std::int64_t expires_at) {
  return nlohmann::ordered_json{{"grantId", crypto::hex_encode(id)}, {"expiresAt", expires_at}}.dump();
}

std::string stored_bundle_json(std::uint64_t sequence, std::size_t size) {
  return nlohmann::ordered_json{{"sequence", sequence}, {"size", size}}.dump();
}

std::string error_json(const std::string& code, const std::string& message) {
  // Replace, not throw, on invalid UTF-8: a message is never worth a crash.
  return nlohmann::ordered_json{{"error", code}, {"message", message}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string grant_log_hash(const crypto::GrantId& id) {
  const crypto::Digest h = crypto::hash(id);
  return crypto::hex_encode(crypto::ByteView(h.data(), 4));
}

}  // namespace chartlock::relay
