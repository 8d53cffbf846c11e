// SPDX-License-Identifier: Apache-2.0
#include "memory_store.hpp"

#include <limits>
#include <nlohmann/json.hpp>

#include "chartlock/crypto/encoding.hpp"
#include "migrations.hpp"

namespace chartlock::relay {

namespace {

using Json = nlohmann::json;
// 2 added SMART Health Links; 1 (saved before) is read as having none.
constexpr int kSaveFormat = 2;

Json optional_text(const std::optional<std::string>& s) { return s ? Json(*s) : Json(); }

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
                                       const GrantId* except, const ShlId* except_link) const {
  StorageUsage u;
  for (const auto& [id, row] : bundles_) {
    if (row.bundle.expires_at < now || (except && id == *except)) continue;
    const std::uint64_t size = row.bundle.bytes.size();
    u.global += size;
    if (row.prefix == prefix) u.prefix += size;
    const auto g = grants_.find(id);
    if (g != grants_.end() && g->second.grant.patient_key == patient_key) u.patient += size;
  }
  for (const auto& [id, row] : links_) {
    if (!row.file || row.link.expires_at < now || (except_link && id == *except_link)) continue;
    u.global += row.file->size();
    if (row.prefix == prefix) u.prefix += row.file->size();
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
  for (auto it = tickets_.begin(); it != tickets_.end();) {
    if (it->second.expires_at < now) it = tickets_.erase(it); else ++it;
  }
  for (auto it = links_.begin(); it != links_.end();) {
    LinkRow& row = it->second;
    if (row.file && row.link.expires_at < now) {
      row.file.reset();
      row.link.file_size = 0;
      ++n.shl_files;
    }
    if (row.purge_at < now) {
      // Its tickets go with it (the SQL stores' cascade).
      for (auto t = tickets_.begin(); t != tickets_.end();) {
        if (t->second.link_id == it->first) t = tickets_.erase(t); else ++t;
      }
      it = links_.erase(it);
      ++n.shl_links;
    } else {
      ++it;
    }
  }
  return n;
}

// ---- SMART Health Links (the SQLite store's semantics) ----

bool MemoryStore::create_link(const ShlLink& l, std::int64_t purge_at) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (links_.count(l.id)) return false;
  LinkRow row;
  row.link = l;
  row.link.revoked_at.reset();
  row.link.content_type.reset();
  row.link.file_size = 0;
  row.link.file_updated_at = 0;
  row.purge_at = purge_at;
  links_.emplace(l.id, std::move(row));
  return true;
}

std::optional<ShlLink> MemoryStore::get_link(const ShlId& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = links_.find(id);
  if (it == links_.end()) return std::nullopt;
  ShlLink l = it->second.link;
  if (!it->second.file) {
    l.content_type.reset();
    l.file_size = 0;
    l.file_updated_at = 0;
  }
  return l;
}

PutOutcome MemoryStore::put_link_file(const ShlId& id, const std::string& content_type, ByteView bytes,
                                      std::int64_t now, const StorageQuota& quota) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = links_.find(id);
  if (it == links_.end() || it->second.link.revoked_at || it->second.link.expires_at < now) return PutOutcome::gone;
  LinkRow& row = it->second;
  const bool had_file = row.file.has_value();
  if (quota.any()) {
    StorageQuota link_quota = quota;
    link_quota.per_patient_bytes = 0;  // links have no patient key to count against
    const PublicKey none{};
    const PutOutcome q =
        quota_outcome(usage_locked(none, quota.prefix, now, nullptr, &id), bytes.size(), link_quota);
    if (q != PutOutcome::created) return q;
  }
  row.file = Bytes(bytes.begin(), bytes.end());
  row.link.content_type = content_type;
  row.link.file_size = bytes.size();
  row.link.file_updated_at = now;
  row.prefix = quota.prefix;
  return had_file ? PutOutcome::replaced : PutOutcome::created;
}

std::optional<ShlFile> MemoryStore::live_file_locked(const ShlId& id, std::int64_t now) const {
  const auto it = links_.find(id);
  if (it == links_.end()) return std::nullopt;
  const LinkRow& row = it->second;
  if (row.link.revoked_at || row.link.expires_at < now || !row.file) return std::nullopt;
  ShlFile f;
  f.content_type = row.link.content_type.value_or("");
  f.updated_at = row.link.file_updated_at;
  f.bytes = *row.file;
  return f;
}

std::optional<ShlFile> MemoryStore::get_link_file(const ShlId& id, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  return live_file_locked(id, now);
}

std::optional<std::int64_t> MemoryStore::take_passcode_attempt(const ShlId& id, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = links_.find(id);
  if (it == links_.end()) return std::nullopt;
  ShlLink& l = it->second.link;
  if (l.attempts_left <= 0 || l.revoked_at || l.expires_at < now) return std::nullopt;
  return --l.attempts_left;
}

void MemoryStore::return_passcode_attempt(const ShlId& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = links_.find(id);
  if (it != links_.end()) ++it->second.link.attempts_left;
}

bool MemoryStore::revoke_link(const ShlId& id, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = links_.find(id);
  if (it == links_.end() || it->second.link.revoked_at) return false;
  it->second.link.revoked_at = now;
  it->second.file.reset();
  it->second.link.file_size = 0;
  for (auto t = tickets_.begin(); t != tickets_.end();) {
    if (t->second.link_id == id) t = tickets_.erase(t); else ++t;
  }
  return true;
}

void MemoryStore::add_ticket(const crypto::Digest& ticket, const ShlId& id, std::int64_t expires_at) {
  std::lock_guard<std::mutex> lock(mutex_);
  // The SQL stores refuse a ticket for an unknown link (foreign key) or one
  // already there (primary key).
  if (!links_.count(id)) throw StoreError("memory: a ticket for a link that is not stored");
  if (!tickets_.emplace(ticket, TicketRow{id, expires_at}).second) throw StoreError("memory: a ticket stored twice");
}

std::optional<ShlFile> MemoryStore::take_ticket(const crypto::Digest& ticket, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = tickets_.find(ticket);
  if (it == tickets_.end() || it->second.expires_at < now) return std::nullopt;  // the purger deletes it
  const ShlId id = it->second.link_id;
  tickets_.erase(it);
  return live_file_locked(id, now);
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
  Json links = Json::array();
  for (const auto& [id, row] : links_) {
    const ShlLink& l = row.link;
    links.push_back({{"id", b64(id)}, {"manageKey", b64(l.manage_key)}, {"createdAt", l.created_at},
                     {"expiresAt", l.expires_at}, {"purgeAt", row.purge_at},
                     {"revokedAt", l.revoked_at ? Json(*l.revoked_at) : Json()}, {"longTerm", l.long_term},
                     {"passcodeHash", optional_text(l.passcode_hash)}, {"attemptsLeft", l.attempts_left},
                     {"contentType", optional_text(l.content_type)}, {"fileUpdatedAt", l.file_updated_at},
                     {"file", row.file ? Json(crypto::base64url_encode(*row.file)) : Json()},
                     {"prefix", crypto::base64url_encode(ByteView(std::string_view(row.prefix)))}});
  }
  Json tickets = Json::array();
  for (const auto& [t, row] : tickets_) tickets.push_back({b64(t), b64(row.link_id), row.expires_at});
  const std::string text = Json{{"format", kSaveFormat}, {"grants", grants}, {"bundles", bundles}, {"nonces", nonces},
                                {"links", links}, {"tickets", tickets}}.dump();
  return Bytes(text.begin(), text.end());
}

MemoryStore::MemoryStore(ByteView saved) {
  try {
    const Json j = Json::parse(saved.begin(), saved.end());
    const int format = j.at("format").get<int>();
    if (format != kSaveFormat && format != 1) throw StoreError("memory: saved in a format this relay does not read");
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
    if (format == 1) return;
    for (const Json& r : j.at("links")) {
      LinkRow row;
      row.link.id = array_of<crypto::kShlIdSize>(r.at("id"));
      row.link.manage_key = array_of<crypto::kPublicKeySize>(r.at("manageKey"));
      row.link.created_at = r.at("createdAt").get<std::int64_t>();
      row.link.expires_at = r.at("expiresAt").get<std::int64_t>();
      row.purge_at = r.at("purgeAt").get<std::int64_t>();
      if (!r.at("revokedAt").is_null()) row.link.revoked_at = r.at("revokedAt").get<std::int64_t>();
      row.link.long_term = r.at("longTerm").get<bool>();
      if (!r.at("passcodeHash").is_null()) row.link.passcode_hash = r.at("passcodeHash").get<std::string>();
      row.link.attempts_left = r.at("attemptsLeft").get<std::int64_t>();
      if (!r.at("contentType").is_null()) row.link.content_type = r.at("contentType").get<std::string>();
      row.link.file_updated_at = r.at("fileUpdatedAt").get<std::int64_t>();
      if (!r.at("file").is_null()) {
        row.file = crypto::base64url_decode(r.at("file").get<std::string>());
        row.link.file_size = row.file->size();
      }
      const Bytes prefix = crypto::base64url_decode(r.at("prefix").get<std::string>());
      row.prefix.assign(prefix.begin(), prefix.end());
      const ShlId id = row.link.id;
      links_.emplace(id, std::move(row));
    }
    for (const Json& r : j.at("tickets")) {
      TicketRow row{array_of<crypto::kShlIdSize>(r.at(1)), r.at(2).get<std::int64_t>()};
      if (!links_.count(row.link_id)) throw StoreError("memory: the saved relay state is damaged");
      tickets_.emplace(array_of<32>(r.at(0)), row);
    }
  } catch (const StoreError&) {
    throw;
  } catch (const std::exception&) {
    throw StoreError("memory: the saved relay state is damaged");
  }
}

}  // namespace chartlock::relay
