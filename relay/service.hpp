// SPDX-License-Identifier: Apache-2.0
// Protocol v1: the four grant operations, from an authenticated request to
// an answer. Knows the store and the rules, not HTTP (server.cpp adapts).
//
// The order of the checks is part of the protocol (docs/relay-protocol.md):
// id syntax, signature (missing/malformed/stale/bad), per-key rate, grant
// (unknown, wrong key, revoked, expired), nonce, content, store.
#pragma once

#include <cstdint>
#include <functional>

#include "api.hpp"
#include "chartlock/crypto/request.hpp"
#include "config.hpp"
#include "rate_limit.hpp"
#include "store.hpp"

namespace chartlock::relay {

// Nonces are remembered this long past the skew window, so that instances
// whose clocks differ by up to this much still refuse each other's replays.
inline constexpr std::int64_t kNonceMarginSeconds = 60;
// Largest create-grant body (a valid one is about 200 bytes).
inline constexpr std::size_t kMaxGrantBodyBytes = 4096;

struct Clocks {
  std::function<std::int64_t()> unix_seconds;  // wall clock: timestamps, expiry
  std::function<double()> monotonic;           // seconds: rate limits
  static Clocks system();
};

class Service {
 public:
  Service(Store& store, const Config& config, Clocks clocks = Clocks::system());

  // POST /v1/grants
  ApiResponse create_grant(const ApiRequest& req);
  // PUT /v1/grants/{id}/bundle
  ApiResponse put_bundle(const ApiRequest& req, std::string_view grant_id);
  // GET /v1/grants/{id}/bundle
  ApiResponse get_bundle(const ApiRequest& req, std::string_view grant_id);
  // DELETE /v1/grants/{id}
  ApiResponse revoke(const ApiRequest& req, std::string_view grant_id);

  std::int64_t now() const { return clocks_.unix_seconds(); }
  // Forgets idle per-key buckets (the purge timer calls it).
  void sweep_rate_limits() { key_limiter_.sweep(clocks_.monotonic()); }

  // Shared with the SMART Health Link area (shl.hpp), which signs its
  // management requests the same way:
  // Header present and well formed, timestamp within the skew window,
  // signature valid, signer within its rate. Returns the parsed header.
  crypto::SignedRequest authenticate(const ApiRequest& req);
  // Records the request's nonce; fail(401, replayed-nonce) if it was used.
  void use_nonce(const crypto::SignedRequest& auth);
  // The address prefix as the database keeps it (a keyed-hash pseudonym).
  static std::string stored_prefix(const std::string& prefix);

 private:
  enum class Role { patient, tool };

  // The grant, if it exists, `signer` holds the key `role` needs, and it is live.
  Grant live_grant(const GrantId& id, const PublicKey& signer, Role role);
  std::int64_t nonce_expiry(const crypto::SignedRequest& auth) const;
  [[noreturn]] static void replayed();

  Store& store_;
  const Config& config_;
  Clocks clocks_;
  RateLimiter key_limiter_;
};

}  // namespace chartlock::relay
