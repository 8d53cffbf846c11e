// SPDX-License-Identifier: Apache-2.0
#include "sqlite_store.hpp"

#include <ctime>
#include <limits>

#include "migrations.hpp"

namespace chartlock::relay {

using sqlite::Connection;
using sqlite::Query;
using sqlite::WriteTransaction;

namespace {

std::int64_t as_int64(std::uint64_t v) {
  if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw StoreError("sqlite: a sequence number beyond 2^63-1");
  }
  return static_cast<std::int64_t>(v);
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path, std::size_t connections) {
  if (connections == 0) connections = 1;
  auto first = std::make_unique<Connection>(path);
  // WAL is a property of the file; it persists once set.
  first->exec("PRAGMA journal_mode = WAL");
  migrate(*first);
  pool_.add(std::move(first));
  for (std::size_t i = 1; i < connections; ++i) pool_.add(std::make_unique<Connection>(path));
}

void SqliteStore::migrate(Connection& conn) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(conn);
  conn.exec(kSchemaVersionTableSqlite);
  std::int64_t current = 0;
  {
    Query q(conn, "SELECT coalesce(max(version), 0) FROM schema_version");
    if (q.step()) current = q.integer(0);
  }
  const auto& steps = sqlite_migrations();
  if (current > steps.back().version) {
    throw StoreError("sqlite: the database has schema version " + std::to_string(current) +
                     ", newer than this relay's " + std::to_string(steps.back().version));
  }
  for (const Migration& m : steps) {
    if (m.version <= current) continue;
    conn.exec(m.sql);
    Query q(conn, "INSERT INTO schema_version (version, description, applied_at) VALUES (?1, ?2, ?3)");
    q.bind(1, std::int64_t{m.version}).bind(2, ByteView(std::string_view(m.description)));
    q.bind(3, static_cast<std::int64_t>(std::time(nullptr)));
    q.run();
  }
  tx.commit();
}

int SqliteStore::schema_version() {
  auto conn = pool_.acquire();
  Query q(*conn, "SELECT coalesce(max(version), 0) FROM schema_version");
  return q.step() ? static_cast<int>(q.integer(0)) : 0;
}

CreateOutcome SqliteStore::create_grant(const Grant& g, std::int64_t purge_at,
                                        std::size_t max_live_per_patient, std::int64_t now) {
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  {
    Query q(*conn, "SELECT 1 FROM grants WHERE id = ?1");
    if (q.bind(1, g.id).step()) return CreateOutcome::exists;
  }
  {
    Query q(*conn,
            "SELECT count(*) FROM grants WHERE patient_key = ?1 AND revoked_at IS NULL AND expires_at >= ?2");
    q.bind(1, g.patient_key).bind(2, now).step();
    if (static_cast<std::uint64_t>(q.integer(0)) >= max_live_per_patient) return CreateOutcome::limit_reached;
  }
  Query q(*conn,
          "INSERT INTO grants (id, patient_key, tool_key, created_at, expires_at, purge_at)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  q.bind(1, g.id).bind(2, g.patient_key).bind(3, g.tool_key).bind(4, g.created_at);
  q.bind(5, g.expires_at).bind(6, purge_at).run();
  tx.commit();
  return CreateOutcome::created;
}

std::optional<Grant> SqliteStore::get_grant(const GrantId& id) {
  auto conn = pool_.acquire();
  Query q(*conn,
          "SELECT patient_key, tool_key, created_at, expires_at, revoked_at, sequence"
          " FROM grants WHERE id = ?1");
  if (!q.bind(1, id).step()) return std::nullopt;
  Grant g;
  g.id = id;
  const ByteView patient = q.blob(0), tool = q.blob(1);
  if (patient.size() != g.patient_key.size() || tool.size() != g.tool_key.size()) {
    throw StoreError("sqlite: a grant row has keys of the wrong size");
  }
  std::copy(patient.begin(), patient.end(), g.patient_key.begin());
  std::copy(tool.begin(), tool.end(), g.tool_key.begin());
  g.created_at = q.integer(2);
  g.expires_at = q.integer(3);
  if (!q.is_null(4)) g.revoked_at = q.integer(4);
  if (!q.is_null(5)) g.sequence = static_cast<std::uint64_t>(q.integer(5));
  return g;
}

namespace {

// Bytes of unexpired bundles for a patient key, a prefix and in all, leaving
// out the bundle of grant ?3 (the one a put replaces; X'' leaves out none);
// the prefix and global sums count link files and every sync copy kept
// too, leaving out link ?5's.
const char* const kUsageSql =
    "SELECT"
    " (SELECT coalesce(sum(b.size), 0) FROM bundles b JOIN grants g ON g.id = b.grant_id"
    "   WHERE g.patient_key = ?1 AND b.expires_at >= ?2 AND b.grant_id <> ?3),"
    " (SELECT coalesce(sum(size), 0) FROM bundles WHERE prefix = ?4 AND expires_at >= ?2 AND grant_id <> ?3)"
    " + (SELECT coalesce(sum(file_size), 0) FROM shl_links WHERE prefix = ?4 AND expires_at >= ?2 AND id <> ?5)"
    " + (SELECT coalesce(sum(size), 0) FROM sync_copies WHERE prefix = ?4),"
    " (SELECT coalesce(sum(size), 0) FROM bundles WHERE expires_at >= ?2 AND grant_id <> ?3)"
    " + (SELECT coalesce(sum(file_size), 0) FROM shl_links WHERE expires_at >= ?2 AND id <> ?5)"
    " + (SELECT coalesce(sum(size), 0) FROM sync_copies)";

StorageUsage read_usage(Connection& conn, const PublicKey& patient_key, const std::string& prefix,
                        std::int64_t now, ByteView except, ByteView except_link = ByteView()) {
  Query q(conn, kUsageSql);
  q.bind(1, patient_key).bind(2, now).bind(3, except).bind(4, ByteView(std::string_view(prefix)));
  q.bind(5, except_link);
  q.step();
  StorageUsage u;
  u.patient = static_cast<std::uint64_t>(q.integer(0));
  u.prefix = static_cast<std::uint64_t>(q.integer(1));
  u.global = static_cast<std::uint64_t>(q.integer(2));
  return u;
}

}  // namespace

PutOutcome SqliteStore::put_bundle(const GrantId& id, std::uint64_t sequence, std::int64_t expires_at,
                                   ByteView bytes, std::int64_t now, const StorageQuota& quota) {
  const std::int64_t seq = as_int64(sequence);
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  bool had_bundle = false;
  PublicKey patient_key{};
  {
    Query q(*conn,
            "SELECT revoked_at IS NULL AND expires_at >= ?2, sequence,"
            " EXISTS (SELECT 1 FROM bundles WHERE grant_id = ?1 AND expires_at >= ?2), patient_key"
            " FROM grants WHERE id = ?1");
    if (!q.bind(1, id).bind(2, now).step() || q.integer(0) == 0) return PutOutcome::gone;
    if (!q.is_null(1) && q.integer(1) >= seq) return PutOutcome::stale_sequence;
    had_bundle = q.integer(2) != 0;
    const ByteView key = q.blob(3);
    if (key.size() != patient_key.size()) throw StoreError("sqlite: a grant row has keys of the wrong size");
    std::copy(key.begin(), key.end(), patient_key.begin());
  }
  // Writers take turns (write_mutex_), so the usage read here is still true
  // when the bundle is written.
  if (quota.any()) {
    const PutOutcome q = quota_outcome(read_usage(*conn, patient_key, quota.prefix, now, id), bytes.size(), quota);
    if (q != PutOutcome::created) return q;
  }
  Query(*conn, "UPDATE grants SET sequence = ?2 WHERE id = ?1").bind(1, id).bind(2, seq).run();
  Query q(*conn,
          "INSERT INTO bundles (grant_id, sequence, expires_at, stored_at, size, bytes, prefix)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
          " ON CONFLICT (grant_id) DO UPDATE SET sequence = excluded.sequence,"
          " expires_at = excluded.expires_at, stored_at = excluded.stored_at,"
          " size = excluded.size, bytes = excluded.bytes, prefix = excluded.prefix");
  q.bind(1, id).bind(2, seq).bind(3, expires_at).bind(4, now);
  q.bind(5, static_cast<std::int64_t>(bytes.size())).bind(6, bytes);
  q.bind(7, ByteView(std::string_view(quota.prefix))).run();
  tx.commit();
  return had_bundle ? PutOutcome::replaced : PutOutcome::created;
}

StorageUsage SqliteStore::usage(const PublicKey& patient_key, const std::string& prefix, std::int64_t now) {
  auto conn = pool_.acquire();
  return read_usage(*conn, patient_key, prefix, now, ByteView());
}

std::optional<StoredBundle> SqliteStore::get_bundle(const GrantId& id, std::int64_t now) {
  auto conn = pool_.acquire();
  Query q(*conn, "SELECT sequence, expires_at, bytes FROM bundles WHERE grant_id = ?1 AND expires_at >= ?2");
  if (!q.bind(1, id).bind(2, now).step()) return std::nullopt;
  StoredBundle b;
  b.sequence = static_cast<std::uint64_t>(q.integer(0));
  b.expires_at = q.integer(1);
  const ByteView bytes = q.blob(2);
  b.bytes.assign(bytes.begin(), bytes.end());
  return b;
}

bool SqliteStore::revoke(const GrantId& id, std::int64_t now) {
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  if (Query(*conn, "UPDATE grants SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")
          .bind(1, id).bind(2, now).run() == 0) {
    return false;
  }
  Query(*conn, "DELETE FROM bundles WHERE grant_id = ?1").bind(1, id).run();
  tx.commit();
  return true;
}

// Leader/follower group commit: the first thread to find no commit running
// takes every queued nonce (its own included) and commits them together;
// the others wait for the result, and one of those still waiting leads next.
bool SqliteStore::remember_nonce(const PublicKey& key, const RequestNonce& nonce, std::int64_t expires_at) {
  PendingNonce mine{&key, &nonce, expires_at, false, false, {}};
  std::unique_lock<std::mutex> lock(nonce_mutex_);
  nonce_queue_.push_back(&mine);
  while (!mine.done) {
    if (nonce_committing_) {
      nonce_done_.wait(lock);
      continue;
    }
    nonce_committing_ = true;
    std::vector<PendingNonce*> batch;
    batch.swap(nonce_queue_);
    lock.unlock();
    try {
      commit_nonces(batch);
    } catch (const std::exception& e) {
      for (PendingNonce* p : batch) p->error = e.what();
    }
    lock.lock();
    for (PendingNonce* p : batch) p->done = true;
    nonce_committing_ = false;
    nonce_done_.notify_all();
  }
  if (!mine.error.empty()) throw StoreError(mine.error);
  return mine.fresh;
}

void SqliteStore::commit_nonces(const std::vector<PendingNonce*>& batch) {
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  for (PendingNonce* p : batch) {
    // A duplicate inside one batch is caught too: the second insert is ignored.
    p->fresh = Query(*conn, "INSERT OR IGNORE INTO nonces (key_id, nonce, expires_at) VALUES (?1, ?2, ?3)")
                   .bind(1, *p->key).bind(2, *p->nonce).bind(3, p->expires_at).run() == 1;
  }
  tx.commit();
}

PurgeCounts SqliteStore::purge_expired(std::int64_t now) {
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  PurgeCounts n;
  n.bundles = static_cast<std::uint64_t>(
      Query(*conn, "DELETE FROM bundles WHERE expires_at < ?1").bind(1, now).run());
  // Deleting a grant row also deletes a bundle still attached (cascade).
  n.grants = static_cast<std::uint64_t>(
      Query(*conn, "DELETE FROM grants WHERE purge_at < ?1").bind(1, now).run());
  n.nonces = static_cast<std::uint64_t>(
      Query(*conn, "DELETE FROM nonces WHERE expires_at < ?1").bind(1, now).run());
  Query(*conn, "DELETE FROM shl_tickets WHERE expires_at < ?1").bind(1, now).run();
  n.shl_files = static_cast<std::uint64_t>(
      Query(*conn,
            "UPDATE shl_links SET file = NULL, file_size = 0 WHERE file IS NOT NULL AND expires_at < ?1")
          .bind(1, now).run());
  n.shl_links = static_cast<std::uint64_t>(
      Query(*conn, "DELETE FROM shl_links WHERE purge_at < ?1").bind(1, now).run());
  // Copies go with their space (cascade).
  n.sync_spaces = static_cast<std::uint64_t>(
      Query(*conn, "DELETE FROM sync_spaces WHERE expires_at < ?1").bind(1, now).run());
  tx.commit();
  return n;
}

StoreStats SqliteStore::stats(std::int64_t now) {
  auto conn = pool_.acquire();
  Query q(*conn,
          "SELECT"
          " (SELECT count(*) FROM grants WHERE revoked_at IS NULL AND expires_at >= ?1),"
          " (SELECT count(*) FROM grants WHERE revoked_at IS NOT NULL),"
          " (SELECT count(*) FROM grants WHERE revoked_at IS NULL AND expires_at < ?1),"
          " (SELECT count(*) FROM bundles),"
          " (SELECT coalesce(sum(size), 0) FROM bundles)");
  q.bind(1, now).step();
  StoreStats s;
  s.grants_live = static_cast<std::uint64_t>(q.integer(0));
  s.grants_revoked = static_cast<std::uint64_t>(q.integer(1));
  s.grants_expired = static_cast<std::uint64_t>(q.integer(2));
  s.bundles = static_cast<std::uint64_t>(q.integer(3));
  s.bundle_bytes = static_cast<std::uint64_t>(q.integer(4));
  return s;
}

// ---- SMART Health Links ----

namespace {

template <std::size_t N>
void copy_exact(ByteView from, std::array<std::uint8_t, N>& to) {
  if (from.size() != N) throw StoreError("sqlite: a link row has a value of the wrong size");
  std::copy(from.begin(), from.end(), to.begin());
}

std::string text_of(ByteView b) { return std::string(b.begin(), b.end()); }

ByteView view_of(const std::string& s) { return ByteView(std::string_view(s)); }

}  // namespace

bool SqliteStore::create_link(const ShlLink& l, std::int64_t purge_at) {
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  Query q(*conn,
          "INSERT OR IGNORE INTO shl_links (id, manage_key, created_at, expires_at, purge_at, long_term,"
          " passcode_hash, attempts_left) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  q.bind(1, l.id).bind(2, l.manage_key).bind(3, l.created_at).bind(4, l.expires_at).bind(5, purge_at);
  q.bind(6, std::int64_t{l.long_term ? 1 : 0});
  if (l.passcode_hash) q.bind(7, view_of(*l.passcode_hash));  // unbound: NULL
  q.bind(8, l.attempts_left);
  if (q.run() == 0) return false;
  tx.commit();
  return true;
}

std::optional<ShlLink> SqliteStore::get_link(const ShlId& id) {
  auto conn = pool_.acquire();
  Query q(*conn,
          "SELECT manage_key, created_at, expires_at, revoked_at, long_term, passcode_hash, attempts_left,"
          " content_type, file_size, file_updated_at, file IS NOT NULL FROM shl_links WHERE id = ?1");
  if (!q.bind(1, id).step()) return std::nullopt;
  ShlLink l;
  l.id = id;
  copy_exact(q.blob(0), l.manage_key);
  l.created_at = q.integer(1);
  l.expires_at = q.integer(2);
  if (!q.is_null(3)) l.revoked_at = q.integer(3);
  l.long_term = q.integer(4) != 0;
  if (!q.is_null(5)) l.passcode_hash = text_of(q.blob(5));
  l.attempts_left = q.integer(6);
  if (q.integer(10) != 0) {
    l.content_type = text_of(q.blob(7));
    l.file_size = static_cast<std::uint64_t>(q.integer(8));
    l.file_updated_at = q.integer(9);
  }
  return l;
}

PutOutcome SqliteStore::put_link_file(const ShlId& id, const std::string& content_type, ByteView bytes,
                                      std::int64_t now, const StorageQuota& quota) {
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  bool had_file = false;
  {
    Query q(*conn, "SELECT revoked_at IS NULL AND expires_at >= ?2, file IS NOT NULL FROM shl_links WHERE id = ?1");
    if (!q.bind(1, id).bind(2, now).step() || q.integer(0) == 0) return PutOutcome::gone;
    had_file = q.integer(1) != 0;
  }
  if (quota.any()) {
    StorageQuota link_quota = quota;
    link_quota.per_patient_bytes = 0;
    const PublicKey none{};
    const PutOutcome q = quota_outcome(read_usage(*conn, none, quota.prefix, now, ByteView(), id), bytes.size(),
                                       link_quota);
    if (q != PutOutcome::created) return q;
  }
  Query q(*conn,
          "UPDATE shl_links SET content_type = ?2, file = ?3, file_size = ?4, file_updated_at = ?5, prefix = ?6"
          " WHERE id = ?1");
  q.bind(1, id).bind(2, view_of(content_type)).bind(3, bytes).bind(4, static_cast<std::int64_t>(bytes.size()));
  q.bind(5, now).bind(6, view_of(quota.prefix)).run();
  tx.commit();
  return had_file ? PutOutcome::replaced : PutOutcome::created;
}

std::optional<ShlFile> SqliteStore::get_link_file(const ShlId& id, std::int64_t now) {
  auto conn = pool_.acquire();
  Query q(*conn,
          "SELECT content_type, file_updated_at, file FROM shl_links"
          " WHERE id = ?1 AND revoked_at IS NULL AND expires_at >= ?2 AND file IS NOT NULL");
  if (!q.bind(1, id).bind(2, now).step()) return std::nullopt;
  ShlFile f;
  f.content_type = text_of(q.blob(0));
  f.updated_at = q.integer(1);
  const ByteView bytes = q.blob(2);
  f.bytes.assign(bytes.begin(), bytes.end());
  return f;
}

std::optional<std::int64_t> SqliteStore::take_passcode_attempt(const ShlId& id, std::int64_t now) {
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  Query q(*conn,
          "UPDATE shl_links SET attempts_left = attempts_left - 1"
          " WHERE id = ?1 AND attempts_left > 0 AND revoked_at IS NULL AND expires_at >= ?2"
          " RETURNING attempts_left");
  if (!q.bind(1, id).bind(2, now).step()) return std::nullopt;
  const std::int64_t left = q.integer(0);
  while (q.step()) {
  }
  tx.commit();
  return left;
}

void SqliteStore::return_passcode_attempt(const ShlId& id) {
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  Query(*conn, "UPDATE shl_links SET attempts_left = attempts_left + 1 WHERE id = ?1").bind(1, id).run();
  tx.commit();
}

bool SqliteStore::revoke_link(const ShlId& id, std::int64_t now) {
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  if (Query(*conn,
            "UPDATE shl_links SET revoked_at = ?2, file = NULL, file_size = 0 WHERE id = ?1 AND revoked_at IS NULL")
          .bind(1, id).bind(2, now).run() == 0) {
    return false;
  }
  Query(*conn, "DELETE FROM shl_tickets WHERE link_id = ?1").bind(1, id).run();
  tx.commit();
  return true;
}

void SqliteStore::add_ticket(const crypto::Digest& ticket, const ShlId& id, std::int64_t expires_at) {
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  Query(*conn, "INSERT INTO shl_tickets (ticket, link_id, expires_at) VALUES (?1, ?2, ?3)")
      .bind(1, ticket).bind(2, id).bind(3, expires_at).run();
  tx.commit();
}

std::optional<ShlFile> SqliteStore::take_ticket(const crypto::Digest& ticket, std::int64_t now) {
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  ShlId id{};
  {
    Query q(*conn, "SELECT link_id, expires_at FROM shl_tickets WHERE ticket = ?1");
    if (!q.bind(1, ticket).step()) return std::nullopt;
    copy_exact(q.blob(0), id);
    if (q.integer(1) < now) return std::nullopt;  // the purger deletes it
  }
  Query(*conn, "DELETE FROM shl_tickets WHERE ticket = ?1").bind(1, ticket).run();
  std::optional<ShlFile> f;
  {
    Query q(*conn,
            "SELECT content_type, file_updated_at, file FROM shl_links"
            " WHERE id = ?1 AND revoked_at IS NULL AND expires_at >= ?2 AND file IS NOT NULL");
    if (q.bind(1, id).bind(2, now).step()) {
      f.emplace();
      f->content_type = text_of(q.blob(0));
      f->updated_at = q.integer(1);
      const ByteView bytes = q.blob(2);
      f->bytes.assign(bytes.begin(), bytes.end());
    }
  }
  tx.commit();
  return f;
}

void SqliteStore::check_health() {
  auto conn = pool_.acquire();
  Query q(*conn, "SELECT count(*) FROM schema_version");
  if (!q.step()) throw StoreError("sqlite: the schema_version table is empty");
}

// ---- vault sync ----

std::optional<SyncState> SqliteStore::get_sync(const SyncId& id) {
  auto conn = pool_.acquire();
  Query q(*conn, "SELECT sign_key, version, updated_at, expires_at FROM sync_spaces WHERE id = ?1");
  if (!q.bind(1, id).step()) return std::nullopt;
  SyncState s;
  copy_exact(q.blob(0), s.sign_key);
  s.version = static_cast<std::uint64_t>(q.integer(1));
  s.updated_at = q.integer(2);
  s.expires_at = q.integer(3);
  return s;
}

SyncPut SqliteStore::put_sync(const SyncId& id, const PublicKey& key, std::uint64_t base, ByteView bytes,
                              std::int64_t now, std::int64_t expires_at, std::size_t keep,
                              const StorageQuota& quota) {
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  std::uint64_t current = 0;
  {
    Query q(*conn, "SELECT sign_key, version FROM sync_spaces WHERE id = ?1");
    if (q.bind(1, id).step()) {
      if (!crypto::equal(q.blob(0), ByteView(key.data(), key.size()))) return {SyncPutOutcome::wrong_key, 0};
      current = static_cast<std::uint64_t>(q.integer(1));
    }
  }
  if (base != current) return {SyncPutOutcome::conflict, current};
  const std::uint64_t next = current + 1;
  // Copies this put drops stop counting: the oldest beyond `keep`.
  const std::int64_t drop_below = static_cast<std::int64_t>(next) - static_cast<std::int64_t>(keep) + 1;
  if (quota.any()) {
    const PublicKey none{};
    StorageUsage u = read_usage(*conn, none, quota.prefix, now, ByteView());
    Query q(*conn, "SELECT size, prefix = ?3 FROM sync_copies WHERE sync_id = ?1 AND version < ?2");
    q.bind(1, id).bind(2, drop_below).bind(3, view_of(quota.prefix));
    while (q.step()) {
      const auto size = static_cast<std::uint64_t>(q.integer(0));
      u.global -= size;
      if (q.integer(1) != 0) u.prefix -= size;
    }
    StorageQuota sync_quota = quota;
    sync_quota.per_patient_bytes = 0;
    switch (quota_outcome(u, bytes.size(), sync_quota)) {
      case PutOutcome::over_prefix_quota: return {SyncPutOutcome::over_prefix_quota, current};
      case PutOutcome::over_global_quota: return {SyncPutOutcome::over_global_quota, current};
      default: break;
    }
  }
  if (current == 0) {
    Query(*conn,
          "INSERT INTO sync_spaces (id, sign_key, version, created_at, updated_at, expires_at)"
          " VALUES (?1, ?2, 1, ?3, ?3, ?4)")
        .bind(1, id).bind(2, key).bind(3, now).bind(4, expires_at).run();
  } else {
    Query(*conn, "UPDATE sync_spaces SET version = ?2, updated_at = ?3, expires_at = ?4 WHERE id = ?1")
        .bind(1, id).bind(2, as_int64(next)).bind(3, now).bind(4, expires_at).run();
  }
  Query ins(*conn,
            "INSERT INTO sync_copies (sync_id, version, stored_at, size, prefix, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  ins.bind(1, id).bind(2, as_int64(next)).bind(3, now).bind(4, static_cast<std::int64_t>(bytes.size()));
  ins.bind(5, view_of(quota.prefix)).bind(6, bytes).run();
  Query(*conn, "DELETE FROM sync_copies WHERE sync_id = ?1 AND version < ?2").bind(1, id).bind(2, drop_below).run();
  tx.commit();
  return {SyncPutOutcome::stored, next};
}

std::optional<SyncCopy> SqliteStore::get_sync_copy(const SyncId& id, std::uint64_t version) {
  auto conn = pool_.acquire();
  Query q(*conn,
          version == 0
              ? "SELECT version, stored_at, bytes FROM sync_copies WHERE sync_id = ?1 ORDER BY version DESC LIMIT 1"
              : "SELECT version, stored_at, bytes FROM sync_copies WHERE sync_id = ?1 AND version = ?2");
  q.bind(1, id);
  if (version != 0) q.bind(2, as_int64(version));
  if (!q.step()) return std::nullopt;
  SyncCopy c;
  c.version = static_cast<std::uint64_t>(q.integer(0));
  c.stored_at = q.integer(1);
  const ByteView b = q.blob(2);
  c.bytes.assign(b.begin(), b.end());
  return c;
}

std::vector<std::uint64_t> SqliteStore::sync_versions(const SyncId& id) {
  auto conn = pool_.acquire();
  Query q(*conn, "SELECT version FROM sync_copies WHERE sync_id = ?1 ORDER BY version");
  q.bind(1, id);
  std::vector<std::uint64_t> out;
  while (q.step()) out.push_back(static_cast<std::uint64_t>(q.integer(0)));
  return out;
}

bool SqliteStore::delete_sync(const SyncId& id) {
  auto conn = pool_.acquire();
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteTransaction tx(*conn);
  Query(*conn, "DELETE FROM sync_copies WHERE sync_id = ?1").bind(1, id).run();
  const bool had = Query(*conn, "DELETE FROM sync_spaces WHERE id = ?1").bind(1, id).run() > 0;
  tx.commit();
  return had;
}

}  // namespace chartlock::relay
