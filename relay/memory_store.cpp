#include "memory_store.hpp"

#include <limits>
#include <nlohmann/json.hpp>

#include "chartlock/crypto/encoding.hpp"
#include "migrations.hpp"

namespace chartlock::relay {

namespace {

using Json = nlohmann::json;
constexpr int kSaveFormat = 1;

template <std::size_t N>
std::string b64(const std::array<std::uint8_t, N>& a) { return crypto::base64url_encode(ByteView(a.data(), a.size())); }

template <std::size_t N>
std::array<std::uint8_t, N> array_of(const Json& j) {
  std::array<std::uint8_t, N> a{};
  crypto::base64url_decode_exact(j.get<std::string>(), a.data(), a.size());
  return a;
}

void check_sequence(std::uint64_t sequence) {
  if (sequence > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw StoreError("memory: a bundle sequence is larger than INT64_MAX");
  }
}

}  // namespace

// The schema it stands for: the SQLite backend's (it keeps the same rows).
int MemoryStore::schema_version() { return sqlite_migrations().back().version; }

CreateOutcome MemoryStore::create_grant(const Grant& g, std::int64_t purge_at,
                                        std::size_t max_live_per_patient, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (grants_.count(g.id)) return CreateOutcome::exists;
  std::size_t live = 0;
  for (const auto& [id, row] : grants_) {
    if (row.grant.patient_key == g.patient_key && !row.grant.revoked_at && row.grant.expires_at >= now) ++live;
  }
  if (live >= max_live_per_patient) return CreateOutcome::limit_reached;
  GrantRow row;
  row.grant = g;
  row.grant.revoked_at.reset();
  row.grant.sequence.reset();
  row.purge_at = purge_at;
  grants_.emplace(g.id, row);
  return CreateOutcome::created;
}

std::optional<Grant> MemoryStore::get_grant(const GrantId& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = grants_.find(id);
  if (it == grants_.end()) return std::nullopt;
  return it->second.grant;
}

StorageUsage MemoryStore::usage_locked(const PublicKey& patient_key, const std::string& prefix, std::int64_t now,
                                       const GrantId* except) const {
  StorageUsage u;
  for (const auto& [id, row] : bundles_) {
    if (row.bundle.expires_at < now || (except && id == *except)) continue;
    const std::uint64_t size = row.bundle.bytes.size();
    u.global += size;
    if (row.prefix == prefix) u.prefix += size;
    const auto g = grants_.find(id);
    if (g != grants_.end() && g->second.grant.patient_key == patient_key) u.patient += size;
  }
  return u;
}

PutOutcome MemoryStore::put_bundle(const GrantId& id, std::uint64_t sequence, std::int64_t expires_at,
                                   ByteView bytes, std::int64_t now, const StorageQuota& quota) {
  check_sequence(sequence);
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = grants_.find(id);
  if (it == grants_.end() || it->second.grant.revoked_at || it->second.grant.expires_at < now) return PutOutcome::gone;
  Grant& grant = it->second.grant;
  if (grant.sequence && *grant.sequence >= sequence) return PutOutcome::stale_sequence;
  const auto old = bundles_.find(id);
  const bool had_bundle = old != bundles_.end() && old->second.bundle.expires_at >= now;
  if (quota.any()) {
    const PutOutcome q = quota_outcome(usage_locked(grant.patient_key, quota.prefix, now, &id), bytes.size(), quota);
    if (q != PutOutcome::created) return q;
  }
  grant.sequence = sequence;
  BundleRow row;
  row.bundle.sequence = sequence;
  row.bundle.expires_at = expires_at;
  row.bundle.bytes.assign(bytes.begin(), bytes.end());
  row.prefix = quota.prefix;
  bundles_[id] = std::move(row);
  return had_bundle ? PutOutcome::replaced : PutOutcome::created;
}

StorageUsage MemoryStore::usage(const PublicKey& patient_key, const std::string& prefix, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  return usage_locked(patient_key, prefix, now, nullptr);
}

std::optional<StoredBundle> MemoryStore::get_bundle(const GrantId& id, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = bundles_.find(id);
  if (it == bundles_.end() || it->second.bundle.expires_at < now) return std::nullopt;
  return it->second.bundle;
}

bool MemoryStore::revoke(const GrantId& id, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = grants_.find(id);
  if (it == grants_.end() || it->second.grant.revoked_at) return false;
  it->second.grant.revoked_at = now;
  bundles_.erase(id);
  return true;
}

bool MemoryStore::remember_nonce(const PublicKey& key, const RequestNonce& nonce, std::int64_t expires_at) {
  std::lock_guard<std::mutex> lock(mutex_);
  return nonces_.emplace(std::make_pair(key, nonce), expires_at).second;
}

PurgeCounts MemoryStore::purge_expired(std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  PurgeCounts n;
  for (auto it = bundles_.begin(); it != bundles_.end();) {
    if (it->second.bundle.expires_at < now) { it = bundles_.erase(it); ++n.bundles; } else { ++it; }
  }
  for (auto it = grants_.begin(); it != grants_.end();) {
    if (it->second.purge_at < now) {
      bundles_.erase(it->first);  // a bundle still attached goes with its grant
      it = grants_.erase(it);
      ++n.grants;
    } else {
      ++it;
    }
  }
  for (auto it = nonces_.begin(); it != nonces_.end();) {
    if (it->second < now) { it = nonces_.erase(it); ++n.nonces; } else { ++it; }
  }
  return n;
}

StoreStats MemoryStore::stats(std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  StoreStats s;
  for (const auto& [id, row] : grants_) {
    if (row.grant.revoked_at) ++s.grants_revoked;
    else if (row.grant.expires_at >= now) ++s.grants_live;
    else ++s.grants_expired;
  }
  for (const auto& [id, row] : bundles_) {
    ++s.bundles;
    s.bundle_bytes += row.bundle.bytes.size();
  }
  return s;
}

Bytes MemoryStore::save() {
  std::lock_guard<std::mutex> lock(mutex_);
  Json grants = Json::array();
  for (const auto& [id, row] : grants_) {
    const Grant& g = row.grant;
    grants.push_back({{"id", b64(g.id)}, {"patientKey", b64(g.patient_key)}, {"toolKey", b64(g.tool_key)},
                      {"createdAt", g.created_at}, {"expiresAt", g.expires_at}, {"purgeAt", row.purge_at},
                      {"revokedAt", g.revoked_at ? Json(*g.revoked_at) : Json()},
                      {"sequence", g.sequence ? Json(*g.sequence) : Json()}});
  }
  Json bundles = Json::array();
  for (const auto& [id, row] : bundles_) {
    bundles.push_back({{"grantId", b64(id)}, {"sequence", row.bundle.sequence}, {"expiresAt", row.bundle.expires_at},
                       // The prefix as stored is a hash (bytes, not text): base64url, as the keys.
                       {"prefix", crypto::base64url_encode(ByteView(std::string_view(row.prefix)))},
                       {"bytes", crypto::base64url_encode(row.bundle.bytes)}});
  }
  Json nonces = Json::array();
  for (const auto& [k, expires_at] : nonces_) nonces.push_back({b64(k.first), b64(k.second), expires_at});
  const std::string text = Json{{"format", kSaveFormat}, {"grants", grants}, {"bundles", bundles}, {"nonces", nonces}}.dump();
  return Bytes(text.begin(), text.end());
}

MemoryStore::MemoryStore(ByteView saved) {
  try {
    const Json j = Json::parse(saved.begin(), saved.end());
    if (j.at("format").get<int>() != kSaveFormat) throw StoreError("memory: saved in a format this relay does not read");
    for (const Json& r : j.at("grants")) {
      GrantRow row;
      row.grant.id = array_of<16>(r.at("id"));
      row.grant.patient_key = array_of<crypto::kPublicKeySize>(r.at("patientKey"));
      row.grant.tool_key = array_of<crypto::kPublicKeySize>(r.at("toolKey"));
      row.grant.created_at = r.at("createdAt").get<std::int64_t>();
      row.grant.expires_at = r.at("expiresAt").get<std::int64_t>();
      row.purge_at = r.at("purgeAt").get<std::int64_t>();
      if (!r.at("revokedAt").is_null()) row.grant.revoked_at = r.at("revokedAt").get<std::int64_t>();
      if (!r.at("sequence").is_null()) row.grant.sequence = r.at("sequence").get<std::uint64_t>();
      grants_.emplace(row.grant.id, row);
    }
    for (const Json& r : j.at("bundles")) {
      BundleRow row;
      row.bundle.sequence = r.at("sequence").get<std::uint64_t>();
      row.bundle.expires_at = r.at("expiresAt").get<std::int64_t>();
      const Bytes prefix = crypto::base64url_decode(r.at("prefix").get<std::string>());
      row.prefix.assign(prefix.begin(), prefix.end());
      row.bundle.bytes = crypto::base64url_decode(r.at("bytes").get<std::string>());
      bundles_.emplace(array_of<16>(r.at("grantId")), std::move(row));
    }
    for (const Json& r : j.at("nonces")) {
      nonces_.emplace(std::make_pair(array_of<crypto::kPublicKeySize>(r.at(0)), array_of<crypto::kRequestNonceSize>(r.at(1))),
                      r.at(2).get<std::int64_t>());
    }
  } catch (const StoreError&) {
    throw;
  } catch (const std::exception&) {
    throw StoreError("memory: the saved relay state is damaged");
  }
}

}  // namespace chartlock::relay
