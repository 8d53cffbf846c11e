// SPDX-License-Identifier: Apache-2.0
#include "sync.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "chartlock/crypto/error.hpp"

namespace chartlock::relay {
namespace {

using nlohmann::ordered_json;


SyncId parse_sync_id(std::string_view text) {
  try {
    return crypto::sync_id_decode(text);
  } catch (const crypto::Error&) {
    fail(400, "malformed", "a sync id is 43 base64url characters (32 bytes)");
  }
}

[[noreturn]] void no_sync() {
  fail(404, "no-sync", "nothing is stored for this sync id (never written, turned off, or purged)");
}

}  // namespace

std::optional<std::uint64_t> sync_version_query(std::string_view target) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  const std::string_view query = target.substr(q + 1);
  constexpr std::string_view kName = "version=";
  const std::string_view digits = query.substr(std::min(query.size(), kName.size()));
  const bool ok = query.compare(0, kName.size(), kName) == 0 && !digits.empty() && digits.size() <= 19 &&
                  digits.find_first_not_of("0123456789") == std::string_view::npos &&
                  (digits.size() == 1 || digits[0] != '0');
  if (!ok) fail(400, "malformed", "the only query is version=N (a whole number, no leading zero)");
  constexpr std::uint64_t kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::uint64_t v = 0;
  for (char c : digits) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (kMax - d) / 10) fail(400, "malformed", "a version is at most 2^63-1");
    v = v * 10 + d;
  }
  return v;
}

SyncService::SyncService(Store& store, Service& service, const Config& config)
    : store_(store), service_(service), config_(config) {}

SyncState SyncService::owned(const SyncId& id, const PublicKey& signer) {
  const std::optional<SyncState> s = store_.get_sync(id);
  if (!s) no_sync();
  if (!crypto::equal(signer, s->sign_key)) {
    fail(403, "wrong-key", "this sync id's requests must be signed by the key of its first write");
  }
  return *s;
}

ApiResponse SyncService::put(const ApiRequest& req, std::string_view sync_id) {
  return answer([&] {
    const SyncId id = parse_sync_id(sync_id);
    const std::optional<std::uint64_t> base = sync_version_query(req.target);
    if (!base) fail(400, "malformed", "a sync PUT names the version it replaces: ?version=N (0 for the first)");
    const crypto::SignedRequest auth = service_.authenticate(req);
    if (const std::optional<SyncState> s = store_.get_sync(id); s && !crypto::equal(auth.key, s->sign_key)) {
      fail(403, "wrong-key", "this sync id's requests must be signed by the key of its first write");
    }
    if (!crypto::sign_public_key_valid(auth.key)) fail(400, "malformed", "the signing key is not a valid Ed25519 key");
    service_.use_nonce(auth);
    // The relay cannot open a copy; it checks that it is one (magic, version)
    // so that nothing else is kept under a sync id.
    try {
      if (crypto::sync_copy_version(req.body) != crypto::kSyncCopyVersion) {
        fail(400, "bad-copy", "the body is a sync copy of a version this relay does not take");
      }
    } catch (const crypto::Error& e) {
      fail(400, "bad-copy", std::string("the body is not a sync copy: ") + e.what());
    }
    if (req.body.size() < crypto::kSyncCopyHeaderSize + 4) fail(400, "bad-copy", "the body is shorter than a sync copy");
    const std::int64_t now = service_.now();
    StorageQuota quota;
    quota.prefix = Service::stored_prefix(req.client_prefix);
    quota.per_prefix_bytes = config_.max_bytes_per_address;
    quota.global_bytes = config_.max_stored_bytes;
    const SyncPut r = store_.put_sync(id, auth.key, *base, req.body, now, now + kSyncIdleDays * 86400,
                                      kSyncVersionsKept, quota);
    switch (r.outcome) {
      case SyncPutOutcome::stored:
        return json_answer(r.version == 1 ? 201 : 200,
                           ordered_json{{"version", r.version}, {"size", req.body.size()}}.dump());
      case SyncPutOutcome::conflict: {
        ApiResponse c = json_answer(409, ordered_json{{"error", "version-conflict"},
                                                      {"message", "another device wrote first: fetch the current "
                                                                  "version, merge, and PUT naming it"},
                                                      {"version", r.version}}
                                             .dump());
        c.error = "version-conflict";
        return c;
      }
      case SyncPutOutcome::wrong_key:
        fail(403, "wrong-key", "this sync id's requests must be signed by the key of its first write");
      case SyncPutOutcome::over_prefix_quota:
        fail(429, "address-quota-exceeded", "copies uploaded from this network address would take more than the " +
                                                std::to_string(config_.max_bytes_per_address) +
                                                " bytes this relay keeps for one address");
      case SyncPutOutcome::over_global_quota:
        break;
    }
    fail(507, "storage-full", "the relay has no room for this copy; retry later");
  });
}

ApiResponse SyncService::get(const ApiRequest& req, std::string_view sync_id) {
  return answer([&] {
    const SyncId id = parse_sync_id(sync_id);
    const std::optional<std::uint64_t> version = sync_version_query(req.target);
    if (version && *version == 0) fail(400, "malformed", "versions start at 1");
    const crypto::SignedRequest auth = service_.authenticate(req);
    const SyncState s = owned(id, auth.key);
    service_.use_nonce(auth);
    std::optional<SyncCopy> c = store_.get_sync_copy(id, version.value_or(0));
    if (!c) {
      if (!version) no_sync();  // deleted between the two reads
      fail(404, "version-gone", "this version is not kept (the relay keeps the last " +
                                    std::to_string(kSyncVersionsKept) + "; the latest is " +
                                    std::to_string(s.version) + ")");
    }
    ApiResponse r;
    r.status = 200;
    r.content_type = "application/octet-stream";
    r.body.assign(c->bytes.begin(), c->bytes.end());
    r.headers.emplace_back(kSyncVersionHeader, std::to_string(c->version));
    return r;
  });
}

ApiResponse SyncService::remove(const ApiRequest& req, std::string_view sync_id) {
  return answer([&] {
    const SyncId id = parse_sync_id(sync_id);
    if (req.target.find('?') != std::string_view::npos) fail(400, "malformed", "a sync DELETE takes no query");
    const crypto::SignedRequest auth = service_.authenticate(req);
    owned(id, auth.key);
    service_.use_nonce(auth);
    if (!store_.delete_sync(id)) no_sync();
    ApiResponse r;
    r.status = 204;
    return r;
  });
}

// ---- the Store's defaults (the backends override them) ----

namespace {
[[noreturn]] void no_sync_store() { throw StoreError("this store does not keep vault sync copies"); }
}  // namespace

std::optional<SyncState> Store::get_sync(const SyncId&) { no_sync_store(); }
SyncPut Store::put_sync(const SyncId&, const PublicKey&, std::uint64_t, ByteView, std::int64_t, std::int64_t,
                        std::size_t, const StorageQuota&) {
  no_sync_store();
}
std::optional<SyncCopy> Store::get_sync_copy(const SyncId&, std::uint64_t) { no_sync_store(); }
std::vector<std::uint64_t> Store::sync_versions(const SyncId&) { no_sync_store(); }
bool Store::delete_sync(const SyncId&) { no_sync_store(); }

}  // namespace chartlock::relay
