// SPDX-License-Identifier: Apache-2.0
#include "service.hpp"

#include <algorithm>
#include <chrono>
#include <limits>

#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/hash.hpp"
#include "protocol.hpp"

namespace chartlock::relay {
namespace {

// Runs a handler body; an ApiFailure becomes the error answer. `id` (when
// parsed) goes into the answer for the log line either way.
template <class F>
ApiResponse answer(std::optional<GrantId>& id, F&& body) {
  ApiResponse r;
  try {
    r = body();
  } catch (const ApiFailure& f) {
    r = error_response(f.error);
  }
  r.grant = id;
  return r;
}


bool same_key(const PublicKey& a, const PublicKey& b) {
  return crypto::equal(a, b);
}

}  // namespace

// What the database keeps of the uploader's address prefix: 16 bytes of
// BLAKE2b-256, so that a dump of the database does not list addresses in the
// clear. A pseudonym, not anonymity: the IPv4 space can be hashed through.
std::string Service::stored_prefix(const std::string& prefix) {
  const std::string input = "chartlock-relay-prefix-v1:" + prefix;
  const crypto::Digest h = crypto::hash(crypto::ByteView(std::string_view(input)));
  return std::string(h.begin(), h.begin() + 16);
}

Clocks Clocks::system() {
  return Clocks{
      [] {
        return static_cast<std::int64_t>(
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count());
      },
      [] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
      }};
}

Service::Service(Store& store, const Config& config, Clocks clocks)
    : store_(store), config_(config), clocks_(std::move(clocks)), key_limiter_(config.key_rate) {}

crypto::SignedRequest Service::authenticate(const ApiRequest& req) {
  if (!req.authorization) {
    fail(401, "missing-auth", "the request needs an Authorization header with the Chartlock-Ed25519 scheme");
  }
  crypto::SignedRequest auth;
  try {
    auth = crypto::request_auth_parse(*req.authorization);
  } catch (const crypto::Error& e) {
    fail(400, "malformed", e.what());
  }
  const std::int64_t now = clocks_.unix_seconds();
  if (auth.timestamp < now - config_.skew_seconds || auth.timestamp > now + config_.skew_seconds) {
    fail(401, "stale-timestamp", "the request was signed more than " + std::to_string(config_.skew_seconds) +
                                     " seconds away from the relay's clock (now " + std::to_string(now) + ")");
  }
  try {
    crypto::request_auth_verify(auth, req.method, req.target, crypto::request_body_digest(req.body));
  } catch (const crypto::Error& e) {
    if (e.code() == crypto::ErrorCode::bad_signature) fail(401, "bad-signature", e.what());
    fail(400, "malformed", e.what());
  }
  // Limited only once the signature holds: nobody can spend another key's budget.
  const auto decision = key_limiter_.take(std::string(auth.key.begin(), auth.key.end()), clocks_.monotonic());
  if (!decision.allowed) fail(429, "rate-limited", "too many requests signed by this key", decision.retry_after);
  return auth;
}

Grant Service::live_grant(const GrantId& id, const PublicKey& signer, Role role) {
  std::optional<Grant> g = store_.get_grant(id);
  if (!g) fail(404, "unknown-grant", "no grant has this id");
  if (!same_key(signer, role == Role::patient ? g->patient_key : g->tool_key)) {
    fail(403, "wrong-key", role == Role::patient ? "this request must be signed by the grant's patient key"
                                                 : "this request must be signed by the grant's tool key");
  }
  if (g->revoked_at) fail(410, "revoked", "the patient revoked this grant");
  if (clocks_.unix_seconds() > g->expires_at) fail(410, "expired", "this grant has expired");
  return *g;
}

std::int64_t Service::nonce_expiry(const crypto::SignedRequest& auth) const {
  return auth.timestamp + config_.skew_seconds + kNonceMarginSeconds;
}

void Service::replayed() { fail(401, "replayed-nonce", "this nonce was used before: sign every request afresh"); }

void Service::use_nonce(const crypto::SignedRequest& auth) {
  if (!store_.remember_nonce(auth.key, auth.nonce, nonce_expiry(auth))) replayed();
}

ApiResponse Service::create_grant(const ApiRequest& req) {
  std::optional<GrantId> id;
  return answer(id, [&] {
    const crypto::SignedRequest auth = authenticate(req);
    const std::int64_t now = clocks_.unix_seconds();
    const CreateGrant body = parse_create_grant(req.body, now, config_.max_grant_days * 86400);
    id = body.grant_id;
    if (!same_key(auth.key, body.patient_key)) {
      fail(403, "wrong-key", "a grant must be created with a request signed by its patient key");
    }
    use_nonce(auth);
    Grant g;
    g.id = body.grant_id;
    g.patient_key = body.patient_key;
    g.tool_key = body.tool_key;
    g.created_at = now;
    g.expires_at = body.expires_at;
    const std::int64_t purge_at = body.expires_at + config_.tombstone_days * 86400;
    switch (store_.create_grant(g, purge_at, config_.max_grants_per_key, now)) {
      case CreateOutcome::created:
        break;
      case CreateOutcome::exists:
        fail(409, "grant-exists", "a grant with this id exists or existed (ids are never reused)");
      case CreateOutcome::limit_reached:
        fail(429, "too-many-grants", "this patient key has " + std::to_string(config_.max_grants_per_key) +
                                         " live grants, the most allowed; revoke one or let one expire");
    }
    return json_answer(201, created_grant_json(g.id, g.expires_at));
  });
}

ApiResponse Service::put_bundle(const ApiRequest& req, std::string_view grant_id) {
  std::optional<GrantId> id;
  return answer(id, [&] {
    id = parse_grant_id(grant_id);
    const crypto::SignedRequest auth = authenticate(req);
    const Grant g = live_grant(*id, auth.key, Role::patient);
    use_nonce(auth);
    crypto::BundleHeader h;
    try {
      h = crypto::bundle_verify_signature(req.body, g.patient_key);
    } catch (const crypto::Error& e) {
      fail(400, "bad-bundle", std::string(crypto::to_string(e.code())) + ": " + e.what());
    }
    if (h.grant_id != *id) fail(400, "bad-bundle", "the bundle names another grant");
    if (h.sequence > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      fail(400, "bad-bundle", "the relay accepts sequence numbers up to 2^63-1");
    }
    const std::int64_t now = clocks_.unix_seconds();
    if (h.expires_at < now) fail(400, "bad-bundle", "the bundle has expired");
    const std::int64_t keep_until = std::min(h.expires_at, g.expires_at);
    StorageQuota quota;
    quota.per_patient_bytes = config_.max_bytes_per_key;
    quota.prefix = stored_prefix(req.client_prefix);
    quota.per_prefix_bytes = config_.max_bytes_per_address;
    quota.global_bytes = config_.max_stored_bytes;
    switch (store_.put_bundle(*id, h.sequence, keep_until, req.body, now, quota)) {
      case PutOutcome::created:
        return json_answer(201, stored_bundle_json(h.sequence, req.body.size()));
      case PutOutcome::replaced:
        return json_answer(200, stored_bundle_json(h.sequence, req.body.size()));
      case PutOutcome::stale_sequence:
        fail(409, "stale-sequence", "the bundle's sequence " + std::to_string(h.sequence) +
                                        " is not greater than the last one accepted for this grant");
      case PutOutcome::over_patient_quota:
        fail(429, "key-quota-exceeded", "this patient key's bundles would take more than the " +
                                            std::to_string(config_.max_bytes_per_key) +
                                            " bytes this relay keeps for one key; revoke a grant or share less");
      case PutOutcome::over_prefix_quota:
        fail(429, "address-quota-exceeded", "bundles uploaded from this network address would take more than the " +
                                                std::to_string(config_.max_bytes_per_address) +
                                                " bytes this relay keeps for one address");
      case PutOutcome::over_global_quota:
        fail(507, "storage-full", "the relay has no room for this bundle; retry later");
      case PutOutcome::gone:
        break;
    }
    // Revoked or expired between the check above and the write.
    live_grant(*id, auth.key, Role::patient);
    fail(410, "revoked", "the grant ended while the bundle was being stored");
  });
}

ApiResponse Service::get_bundle(const ApiRequest& req, std::string_view grant_id) {
  std::optional<GrantId> id;
  return answer(id, [&] {
    id = parse_grant_id(grant_id);
    const crypto::SignedRequest auth = authenticate(req);
    live_grant(*id, auth.key, Role::tool);
    Store::NonceAndBundle got =
        store_.remember_nonce_and_get_bundle(auth.key, auth.nonce, nonce_expiry(auth), *id, clocks_.unix_seconds());
    if (!got.fresh) replayed();
    std::optional<StoredBundle>& b = got.bundle;
    if (!b) fail(404, "no-bundle", "the patient has not shared a bundle for this grant yet, or it expired");
    ApiResponse r;
    r.status = 200;
    r.content_type = "application/octet-stream";
    r.body.assign(b->bytes.begin(), b->bytes.end());
    r.headers.emplace_back("Chartlock-Sequence", std::to_string(b->sequence));
    return r;
  });
}

ApiResponse Service::revoke(const ApiRequest& req, std::string_view grant_id) {
  std::optional<GrantId> id;
  return answer(id, [&] {
    id = parse_grant_id(grant_id);
    const crypto::SignedRequest auth = authenticate(req);
    live_grant(*id, auth.key, Role::patient);
    use_nonce(auth);
    if (!store_.revoke(*id, clocks_.unix_seconds())) fail(410, "revoked", "the patient revoked this grant");
    ApiResponse r;
    r.status = 204;
    return r;
  });
}

}  // namespace chartlock::relay
