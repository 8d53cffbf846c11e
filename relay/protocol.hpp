// SPDX-License-Identifier: Apache-2.0
// Wire formats of protocol v1 (docs/relay-protocol.md): grant ids, the
// create-grant body, the JSON answers, and the grant hash used in logs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api.hpp"
#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/keys.hpp"

namespace chartlock::relay {

// 32 lowercase hex digits → 16 bytes; fail(400, malformed) otherwise.
crypto::GrantId parse_grant_id(std::string_view text);

struct CreateGrant {
  crypto::GrantId grant_id{};
  crypto::PublicKey patient_key{};
  crypto::PublicKey tool_key{};
  std::int64_t expires_at = 0;
};

// {"grantId","patientKey","toolKey","expiresAt"}, nothing else: keys
// base64url without padding and valid Ed25519 points, patient != tool,
// now < expiresAt <= now + max_lifetime. fail(400, malformed) naming the
// field otherwise.
CreateGrant parse_create_grant(crypto::ByteView body, std::int64_t now, std::int64_t max_lifetime);

std::string created_grant_json(const crypto::GrantId& id, std::int64_t expires_at);
std::string stored_bundle_json(std::uint64_t sequence, std::size_t size);
std::string error_json(const std::string& code, const std::string& message);

// The first 8 hex digits of BLAKE2b-256(grant id): enough to follow one
// grant through the logs, useless to fetch it.
std::string grant_log_hash(const crypto::GrantId& id);

}  // namespace chartlock::relay
