// SPDX-License-Identifier: Apache-2.0
// SMART Health Links at the relay (docs/relay-protocol.md §10; HL7 SMART
// Health Cards and Links IG, STU1): the patient's signed requests that
// create a link, upload or replace its encrypted file and revoke it, and
// the public side a recipient's viewer uses — the manifest (POST, with the
// passcode when the link has one) and the short-lived, single-use file
// locations. The relay holds only the JWE; the key is in the link alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api.hpp"
#include "config.hpp"
#include "service.hpp"
#include "store.hpp"

namespace chartlock::relay {

// Largest create-link and manifest request bodies (valid ones are ~300 bytes).
inline constexpr std::size_t kMaxShlBodyBytes = 4096;
// How long a file location in a manifest answer opens the file (once).
inline constexpr std::int64_t kShlLocationSeconds = 300;
// Wrong passcodes a link allows when the creator does not say (maxAttempts).
inline constexpr std::int64_t kShlDefaultAttempts = 10;
inline constexpr std::int64_t kShlMaxAttempts = 100;
inline constexpr std::size_t kShlMaxPasscodeBytes = 256;

class ShlService {
 public:
  // `service` authenticates the signed requests (same header, rate, nonces).
  ShlService(Store& store, Service& service, const Config& config);

  // POST /v1/shl (signed by the link's management key)
  ApiResponse create(const ApiRequest& req);
  // PUT /v1/shl/{id}/file (signed): the compact JWE
  ApiResponse put_file(const ApiRequest& req, std::string_view link_id);
  // DELETE /v1/shl/{id} (signed)
  ApiResponse revoke(const ApiRequest& req, std::string_view link_id);
  // POST /v1/shl/{id}: the manifest, for anyone holding the link
  ApiResponse manifest(const ApiRequest& req, std::string_view link_id);
  // GET /v1/shl-files/{ticket}: a file location from a manifest answer
  ApiResponse file(const ApiRequest& req, std::string_view ticket);

 private:
  // The link, if it exists, is managed by `signer`, and is live.
  ShlLink managed_link(const ShlId& id, const PublicKey& signer);
  std::string base_url(const ApiRequest& req) const;

  Store& store_;
  Service& service_;
  const Config& config_;
};

}  // namespace chartlock::relay
