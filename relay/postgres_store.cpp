// SPDX-License-Identifier: Apache-2.0
#include "postgres_store.hpp"

#include <ctime>
#include <limits>

#include "migrations.hpp"

namespace chartlock::relay {

using postgres::Connection;
using postgres::Params;
using postgres::Result;
using postgres::Transaction;

namespace {

// Every statement the store runs, prepared on each connection.
const std::vector<postgres::Statement>& statements() {
  static const std::vector<postgres::Statement> list = {
      {"schema_version", "SELECT coalesce(max(version), 0)::bigint FROM schema_version", 0},
      {"grant_exists", "SELECT 1 FROM grants WHERE id = $1", 1},
      // Serializes grant creation per patient key across instances, so the
      // count below cannot be raced past the limit.
      {"lock_patient", "SELECT pg_advisory_xact_lock($1::bigint)", 1},
      {"count_live",
       "SELECT count(*)::bigint FROM grants WHERE patient_key = $1 AND revoked_at IS NULL AND expires_at >= $2", 2},
      {"insert_grant",
       "INSERT INTO grants (id, patient_key, tool_key, created_at, expires_at, purge_at)"
       " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING", 6},
      {"get_grant",
       "SELECT patient_key, tool_key, created_at, expires_at, revoked_at, sequence FROM grants WHERE id = $1", 1},
      // FOR UPDATE: concurrent puts to one grant (from any instance) take turns.
      {"lock_grant_for_put",
       "SELECT revoked_at IS NULL AND expires_at >= $2, sequence,"
       " EXISTS (SELECT 1 FROM bundles WHERE grant_id = $1 AND expires_at >= $2), patient_key"
       " FROM grants WHERE id = $1 FOR UPDATE", 2},
      // Puts that check storage quotas take turns across instances, so that
      // two cannot both fit under a quota only one of them fits under.
      {"lock_quota", "SELECT pg_advisory_xact_lock(1128811595, 2)", 0},  // 'CHLK', 2
      // The usage quotas see, leaving out grant $3's bundle (an empty $3: none);
      // the prefix and global sums count link files and every sync copy kept
      // too, leaving out link $5's.
      {"usage",
       "SELECT"
       " (SELECT coalesce(sum(b.size), 0) FROM bundles b JOIN grants g ON g.id = b.grant_id"
       "   WHERE g.patient_key = $1 AND b.expires_at >= $2 AND b.grant_id <> $3)::bigint,"
       " ((SELECT coalesce(sum(size), 0) FROM bundles WHERE prefix = $4 AND expires_at >= $2 AND grant_id <> $3)"
       " + (SELECT coalesce(sum(file_size), 0) FROM shl_links WHERE prefix = $4 AND expires_at >= $2 AND id <> $5)"
       " + (SELECT coalesce(sum(size), 0) FROM sync_copies WHERE prefix = $4))::bigint,"
       " ((SELECT coalesce(sum(size), 0) FROM bundles WHERE expires_at >= $2 AND grant_id <> $3)"
       " + (SELECT coalesce(sum(file_size), 0) FROM shl_links WHERE expires_at >= $2 AND id <> $5)"
       " + (SELECT coalesce(sum(size), 0) FROM sync_copies))::bigint", 5},
      {"set_sequence", "UPDATE grants SET sequence = $2 WHERE id = $1", 2},
      {"upsert_bundle",
       "INSERT INTO bundles (grant_id, sequence, expires_at, stored_at, size, bytes, prefix)"
       " VALUES ($1, $2, $3, $4, $5, $6, $7)"
       " ON CONFLICT (grant_id) DO UPDATE SET sequence = excluded.sequence,"
       " expires_at = excluded.expires_at, stored_at = excluded.stored_at,"
       " size = excluded.size, bytes = excluded.bytes, prefix = excluded.prefix", 7},
      {"get_bundle", "SELECT sequence, expires_at, bytes FROM bundles WHERE grant_id = $1 AND expires_at >= $2", 2},
      {"revoke", "UPDATE grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", 2},
      {"delete_bundle", "DELETE FROM bundles WHERE grant_id = $1", 1},
      {"insert_nonce",
       "INSERT INTO nonces (key_id, nonce, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", 3},
      // One round trip for a GET: record the nonce and read the bundle (the
      // caller drops the bundle if the nonce was not fresh).
      {"nonce_and_bundle",
       "WITH fresh AS (INSERT INTO nonces (key_id, nonce, expires_at) VALUES ($1, $2, $3)"
       " ON CONFLICT DO NOTHING RETURNING 1)"
       " SELECT (SELECT count(*) FROM fresh)::bigint, b.sequence, b.expires_at, b.bytes"
       " FROM (SELECT 1) AS one LEFT JOIN bundles b ON b.grant_id = $4 AND b.expires_at >= $5", 5},
      {"purge_bundles", "DELETE FROM bundles WHERE expires_at < $1", 1},
      {"purge_grants", "DELETE FROM grants WHERE purge_at < $1", 1},
      {"purge_nonces", "DELETE FROM nonces WHERE expires_at < $1", 1},
      {"stats",
       "SELECT"
       " (SELECT count(*) FROM grants WHERE revoked_at IS NULL AND expires_at >= $1)::bigint,"
       " (SELECT count(*) FROM grants WHERE revoked_at IS NOT NULL)::bigint,"
       " (SELECT count(*) FROM grants WHERE revoked_at IS NULL AND expires_at < $1)::bigint,"
       " (SELECT count(*) FROM bundles)::bigint,"
       " (SELECT coalesce(sum(size), 0) FROM bundles)::bigint", 1},
      {"ping", "SELECT 1::bigint", 0},
      // SMART Health Links
      {"insert_link",
       "INSERT INTO shl_links (id, manage_key, created_at, expires_at, purge_at, long_term, passcode_hash,"
       " attempts_left) VALUES ($1, $2, $3, $4, $5, $6::bigint <> 0, convert_from($7, 'UTF8'), $8)"
       " ON CONFLICT (id) DO NOTHING", 8},
      {"insert_link_open",
       "INSERT INTO shl_links (id, manage_key, created_at, expires_at, purge_at, long_term, attempts_left)"
       " VALUES ($1, $2, $3, $4, $5, $6::bigint <> 0, $7) ON CONFLICT (id) DO NOTHING", 7},
      {"get_link",
       "SELECT manage_key, created_at, expires_at, revoked_at, long_term, convert_to(passcode_hash, 'UTF8'),"
       " attempts_left, convert_to(content_type, 'UTF8'), file_size, file_updated_at, file IS NOT NULL"
       " FROM shl_links WHERE id = $1", 1},
      // FOR UPDATE: concurrent uploads to one link take turns.
      {"lock_link_for_put",
       "SELECT revoked_at IS NULL AND expires_at >= $2, file IS NOT NULL FROM shl_links WHERE id = $1 FOR UPDATE", 2},
      {"put_link_file",
       "UPDATE shl_links SET content_type = convert_from($2, 'UTF8'), file = $3, file_size = $4,"
       " file_updated_at = $5, prefix = $6 WHERE id = $1", 6},
      {"get_link_file",
       "SELECT convert_to(content_type, 'UTF8'), file_updated_at, file FROM shl_links"
       " WHERE id = $1 AND revoked_at IS NULL AND expires_at >= $2 AND file IS NOT NULL", 2},
      {"take_attempt",
       "UPDATE shl_links SET attempts_left = attempts_left - 1"
       " WHERE id = $1 AND attempts_left > 0 AND revoked_at IS NULL AND expires_at >= $2 RETURNING attempts_left", 2},
      {"return_attempt", "UPDATE shl_links SET attempts_left = attempts_left + 1 WHERE id = $1", 1},
      {"revoke_link",
       "UPDATE shl_links SET revoked_at = $2, file = NULL, file_size = 0 WHERE id = $1 AND revoked_at IS NULL", 2},
      {"delete_tickets", "DELETE FROM shl_tickets WHERE link_id = $1", 1},
      {"add_ticket", "INSERT INTO shl_tickets (ticket, link_id, expires_at) VALUES ($1, $2, $3)", 3},
      // One statement: the ticket is gone whatever the answer.
      {"take_ticket",
       "WITH t AS (DELETE FROM shl_tickets WHERE ticket = $1 RETURNING link_id, expires_at)"
       " SELECT convert_to(l.content_type, 'UTF8'), l.file_updated_at, l.file FROM t JOIN shl_links l"
       " ON l.id = t.link_id WHERE t.expires_at >= $2 AND l.revoked_at IS NULL AND l.expires_at >= $2"
       " AND l.file IS NOT NULL", 2},
      {"purge_tickets", "DELETE FROM shl_tickets WHERE expires_at < $1", 1},
      {"purge_link_files",
       "UPDATE shl_links SET file = NULL, file_size = 0 WHERE file IS NOT NULL AND expires_at < $1", 1},
      {"purge_links", "DELETE FROM shl_links WHERE purge_at < $1", 1},
      // Vault sync. Puts to one sync id take turns across instances (the
      // first one too, before any row exists).
      {"lock_sync", "SELECT pg_advisory_xact_lock(1128811595, $1::integer)", 1},
      {"get_sync", "SELECT sign_key, version, updated_at, expires_at FROM sync_spaces WHERE id = $1", 1},
      {"sync_dropped",
       "SELECT size, prefix = $3 FROM sync_copies WHERE sync_id = $1 AND version < $2", 3},
      {"insert_sync",
       "INSERT INTO sync_spaces (id, sign_key, version, created_at, updated_at, expires_at)"
       " VALUES ($1, $2, 1, $3, $3, $4)", 4},
      {"update_sync", "UPDATE sync_spaces SET version = $2, updated_at = $3, expires_at = $4 WHERE id = $1", 4},
      {"insert_sync_copy",
       "INSERT INTO sync_copies (sync_id, version, stored_at, size, prefix, bytes) VALUES ($1, $2, $3, $4, $5, $6)", 6},
      {"drop_sync_copies", "DELETE FROM sync_copies WHERE sync_id = $1 AND version < $2", 2},
      {"latest_sync_copy",
       "SELECT version, stored_at, bytes FROM sync_copies WHERE sync_id = $1 ORDER BY version DESC LIMIT 1", 1},
      {"sync_copy", "SELECT version, stored_at, bytes FROM sync_copies WHERE sync_id = $1 AND version = $2", 2},
      {"sync_versions", "SELECT version FROM sync_copies WHERE sync_id = $1 ORDER BY version", 1},
      {"delete_sync_copies", "DELETE FROM sync_copies WHERE sync_id = $1", 1},
      {"delete_sync", "DELETE FROM sync_spaces WHERE id = $1", 1},
      {"purge_sync", "DELETE FROM sync_spaces WHERE expires_at < $1", 1},
  };
  return list;
}

// The migration lock's key: a fixed pair in the two-int advisory key space,
// apart from the per-patient bigint keys.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(1128811595, 1)";  // 'CHLK', 1

std::int64_t as_int64(std::uint64_t v) {
  if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw StoreError("postgres: a sequence number beyond 2^63-1");
  }
  return static_cast<std::int64_t>(v);
}

// A lock key from a public key: its first 8 bytes.
std::int64_t lock_key(const PublicKey& key) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | key[static_cast<std::size_t>(i)];
  return static_cast<std::int64_t>(v);
}

template <std::size_t N>
void copy_exact(ByteView from, std::array<std::uint8_t, N>& to) {
  if (from.size() != N) throw StoreError("postgres: a grant row has keys of the wrong size");
  std::copy(from.begin(), from.end(), to.begin());
}

}  // namespace

PostgresStore::PostgresStore(const std::string& url, std::size_t connections) {
  if (connections == 0) connections = 1;
  {
    // Migrate before preparing: the statements need the tables.
    static const std::vector<postgres::Statement> none;
    Connection setup(url, none);
    migrate(setup);
  }
  for (std::size_t i = 0; i < connections; ++i) pool_.add(std::make_unique<Connection>(url, statements()));
}

void PostgresStore::migrate(Connection& conn) {
  Transaction tx(conn);
  // Instances starting together take turns; the later ones find nothing to do.
  conn.exec(kMigrationLock);
  conn.exec(kSchemaVersionTablePostgres);
  const std::int64_t current =
      conn.query("SELECT coalesce(max(version), 0)::bigint FROM schema_version").integer(0, 0);
  const auto& steps = postgres_migrations();
  if (current > steps.back().version) {
    throw StoreError("postgres: the database has schema version " + std::to_string(current) +
                     ", newer than this relay's " + std::to_string(steps.back().version));
  }
  for (const Migration& m : steps) {
    if (m.version <= current) continue;
    conn.exec(m.sql);
    const std::string insert = "INSERT INTO schema_version (version, description, applied_at) VALUES (" +
                               std::to_string(m.version) + ", '" + m.description + "', " +
                               std::to_string(std::time(nullptr)) + ")";
    conn.exec(insert.c_str());
  }
  tx.commit();
}

Pool<Connection>::Lease PostgresStore::connection() {
  auto lease = pool_.acquire();
  lease->ensure_connected();
  return lease;
}

int PostgresStore::schema_version() {
  auto conn = connection();
  return static_cast<int>(conn->run("schema_version").integer(0, 0));
}

CreateOutcome PostgresStore::create_grant(const Grant& g, std::int64_t purge_at,
                                          std::size_t max_live_per_patient, std::int64_t now) {
  auto conn = connection();
  Transaction tx(*conn);
  if (conn->run("grant_exists", Params().bytes(g.id)).rows() > 0) return CreateOutcome::exists;
  conn->run("lock_patient", Params().integer(lock_key(g.patient_key)));
  const Result count = conn->run("count_live", Params().bytes(g.patient_key).integer(now));
  if (static_cast<std::uint64_t>(count.integer(0, 0)) >= max_live_per_patient) return CreateOutcome::limit_reached;
  const Result inserted = conn->run("insert_grant", Params()
                                                        .bytes(g.id)
                                                        .bytes(g.patient_key)
                                                        .bytes(g.tool_key)
                                                        .integer(g.created_at)
                                                        .integer(g.expires_at)
                                                        .integer(purge_at));
  // Another instance may have inserted the same id since the check above.
  if (inserted.changed() == 0) return CreateOutcome::exists;
  tx.commit();
  return CreateOutcome::created;
}

std::optional<Grant> PostgresStore::get_grant(const GrantId& id) {
  auto conn = connection();
  const Result r = conn->run("get_grant", Params().bytes(id));
  if (r.rows() == 0) return std::nullopt;
  Grant g;
  g.id = id;
  copy_exact(r.bytes(0, 0), g.patient_key);
  copy_exact(r.bytes(0, 1), g.tool_key);
  g.created_at = r.integer(0, 2);
  g.expires_at = r.integer(0, 3);
  if (!r.is_null(0, 4)) g.revoked_at = r.integer(0, 4);
  if (!r.is_null(0, 5)) g.sequence = static_cast<std::uint64_t>(r.integer(0, 5));
  return g;
}

static StorageUsage read_usage(Connection& conn, const PublicKey& patient_key, const std::string& prefix,
                        std::int64_t now, ByteView except, ByteView except_link = ByteView()) {
  const Result r = conn.run("usage", Params()
                                         .bytes(patient_key)
                                         .integer(now)
                                         .bytes(except)
                                         .bytes(ByteView(std::string_view(prefix)))
                                         .bytes(except_link));
  StorageUsage u;
  u.patient = static_cast<std::uint64_t>(r.integer(0, 0));
  u.prefix = static_cast<std::uint64_t>(r.integer(0, 1));
  u.global = static_cast<std::uint64_t>(r.integer(0, 2));
  return u;
}

PutOutcome PostgresStore::put_bundle(const GrantId& id, std::uint64_t sequence, std::int64_t expires_at,
                                     ByteView bytes, std::int64_t now, const StorageQuota& quota) {
  const std::int64_t seq = as_int64(sequence);
  auto conn = connection();
  Transaction tx(*conn);
  const Result r = conn->run("lock_grant_for_put", Params().bytes(id).integer(now));
  if (r.rows() == 0 || !r.boolean(0, 0)) return PutOutcome::gone;
  if (!r.is_null(0, 1) && r.integer(0, 1) >= seq) return PutOutcome::stale_sequence;
  const bool had_bundle = r.boolean(0, 2);
  if (quota.any()) {
    PublicKey patient_key{};
    copy_exact(r.bytes(0, 3), patient_key);
    // Taken after the grant's row lock, never before: no lock cycle with
    // other puts, revokes or purges (none of which take this lock first).
    conn->run("lock_quota");
    const PutOutcome q = quota_outcome(read_usage(*conn, patient_key, quota.prefix, now, id), bytes.size(), quota);
    if (q != PutOutcome::created) return q;
  }
  conn->run("set_sequence", Params().bytes(id).integer(seq));
  conn->run("upsert_bundle", Params()
                                 .bytes(id)
                                 .integer(seq)
                                 .integer(expires_at)
                                 .integer(now)
                                 .integer(static_cast<std::int64_t>(bytes.size()))
                                 .bytes(bytes)
                                 .bytes(ByteView(std::string_view(quota.prefix))));
  tx.commit();
  return had_bundle ? PutOutcome::replaced : PutOutcome::created;
}

StorageUsage PostgresStore::usage(const PublicKey& patient_key, const std::string& prefix, std::int64_t now) {
  auto conn = connection();
  return read_usage(*conn, patient_key, prefix, now, ByteView());
}

std::optional<StoredBundle> PostgresStore::get_bundle(const GrantId& id, std::int64_t now) {
  auto conn = connection();
  const Result r = conn->run("get_bundle", Params().bytes(id).integer(now));
  if (r.rows() == 0) return std::nullopt;
  StoredBundle b;
  b.sequence = static_cast<std::uint64_t>(r.integer(0, 0));
  b.expires_at = r.integer(0, 1);
  const ByteView bytes = r.bytes(0, 2);
  b.bytes.assign(bytes.begin(), bytes.end());
  return b;
}

bool PostgresStore::revoke(const GrantId& id, std::int64_t now) {
  auto conn = connection();
  Transaction tx(*conn);
  if (conn->run("revoke", Params().bytes(id).integer(now)).changed() == 0) return false;
  conn->run("delete_bundle", Params().bytes(id));
  tx.commit();
  return true;
}

bool PostgresStore::remember_nonce(const PublicKey& key, const RequestNonce& nonce, std::int64_t expires_at) {
  auto conn = connection();
  return conn->run("insert_nonce", Params().bytes(key).bytes(nonce).integer(expires_at)).changed() == 1;
}

Store::NonceAndBundle PostgresStore::remember_nonce_and_get_bundle(const PublicKey& key, const RequestNonce& nonce,
                                                                   std::int64_t nonce_expires_at,
                                                                   const GrantId& id, std::int64_t now) {
  auto conn = connection();
  const Result r = conn->run("nonce_and_bundle",
                             Params().bytes(key).bytes(nonce).integer(nonce_expires_at).bytes(id).integer(now));
  NonceAndBundle out;
  out.fresh = r.integer(0, 0) == 1;
  if (out.fresh && !r.is_null(0, 1)) {
    StoredBundle b;
    b.sequence = static_cast<std::uint64_t>(r.integer(0, 1));
    b.expires_at = r.integer(0, 2);
    const ByteView bytes = r.bytes(0, 3);
    b.bytes.assign(bytes.begin(), bytes.end());
    out.bundle = std::move(b);
  }
  return out;
}

PurgeCounts PostgresStore::purge_expired(std::int64_t now) {
  auto conn = connection();
  PurgeCounts n;
  n.bundles = conn->run("purge_bundles", Params().integer(now)).changed();
  n.grants = conn->run("purge_grants", Params().integer(now)).changed();
  n.nonces = conn->run("purge_nonces", Params().integer(now)).changed();
  conn->run("purge_tickets", Params().integer(now));
  n.shl_files = conn->run("purge_link_files", Params().integer(now)).changed();
  n.shl_links = conn->run("purge_links", Params().integer(now)).changed();
  n.sync_spaces = conn->run("purge_sync", Params().integer(now)).changed();  // copies cascade
  return n;
}

StoreStats PostgresStore::stats(std::int64_t now) {
  auto conn = connection();
  const Result r = conn->run("stats", Params().integer(now));
  StoreStats s;
  s.grants_live = static_cast<std::uint64_t>(r.integer(0, 0));
  s.grants_revoked = static_cast<std::uint64_t>(r.integer(0, 1));
  s.grants_expired = static_cast<std::uint64_t>(r.integer(0, 2));
  s.bundles = static_cast<std::uint64_t>(r.integer(0, 3));
  s.bundle_bytes = static_cast<std::uint64_t>(r.integer(0, 4));
  return s;
}

// ---- SMART Health Links ----

namespace {

std::string text_of(ByteView b) { return std::string(b.begin(), b.end()); }
ByteView view_of(const std::string& s) { return ByteView(std::string_view(s)); }

ShlFile file_of(const Result& r) {
  ShlFile f;
  f.content_type = text_of(r.bytes(0, 0));
  f.updated_at = r.integer(0, 1);
  const ByteView bytes = r.bytes(0, 2);
  f.bytes.assign(bytes.begin(), bytes.end());
  return f;
}

}  // namespace

bool PostgresStore::create_link(const ShlLink& l, std::int64_t purge_at) {
  auto conn = connection();
  Params p;
  p.bytes(l.id).bytes(l.manage_key).integer(l.created_at).integer(l.expires_at).integer(purge_at);
  p.integer(l.long_term ? 1 : 0);
  if (l.passcode_hash) {
    p.bytes(view_of(*l.passcode_hash)).integer(l.attempts_left);
    return conn->run("insert_link", p).changed() == 1;
  }
  p.integer(l.attempts_left);
  return conn->run("insert_link_open", p).changed() == 1;
}

std::optional<ShlLink> PostgresStore::get_link(const ShlId& id) {
  auto conn = connection();
  const Result r = conn->run("get_link", Params().bytes(id));
  if (r.rows() == 0) return std::nullopt;
  ShlLink l;
  l.id = id;
  copy_exact(r.bytes(0, 0), l.manage_key);
  l.created_at = r.integer(0, 1);
  l.expires_at = r.integer(0, 2);
  if (!r.is_null(0, 3)) l.revoked_at = r.integer(0, 3);
  l.long_term = r.boolean(0, 4);
  if (!r.is_null(0, 5)) l.passcode_hash = text_of(r.bytes(0, 5));
  l.attempts_left = r.integer(0, 6);
  if (r.boolean(0, 10)) {
    l.content_type = text_of(r.bytes(0, 7));
    l.file_size = static_cast<std::uint64_t>(r.integer(0, 8));
    l.file_updated_at = r.integer(0, 9);
  }
  return l;
}

PutOutcome PostgresStore::put_link_file(const ShlId& id, const std::string& content_type, ByteView bytes,
                                        std::int64_t now, const StorageQuota& quota) {
  auto conn = connection();
  Transaction tx(*conn);
  const Result r = conn->run("lock_link_for_put", Params().bytes(id).integer(now));
  if (r.rows() == 0 || !r.boolean(0, 0)) return PutOutcome::gone;
  const bool had_file = r.boolean(0, 1);
  if (quota.any()) {
    StorageQuota link_quota = quota;
    link_quota.per_patient_bytes = 0;
    conn->run("lock_quota");  // after the row lock, as put_bundle
    const PublicKey none{};
    const PutOutcome q =
        quota_outcome(read_usage(*conn, none, quota.prefix, now, ByteView(), id), bytes.size(), link_quota);
    if (q != PutOutcome::created) return q;
  }
  conn->run("put_link_file", Params()
                                 .bytes(id)
                                 .bytes(view_of(content_type))
                                 .bytes(bytes)
                                 .integer(static_cast<std::int64_t>(bytes.size()))
                                 .integer(now)
                                 .bytes(view_of(quota.prefix)));
  tx.commit();
  return had_file ? PutOutcome::replaced : PutOutcome::created;
}

std::optional<ShlFile> PostgresStore::get_link_file(const ShlId& id, std::int64_t now) {
  auto conn = connection();
  const Result r = conn->run("get_link_file", Params().bytes(id).integer(now));
  if (r.rows() == 0) return std::nullopt;
  return file_of(r);
}

std::optional<std::int64_t> PostgresStore::take_passcode_attempt(const ShlId& id, std::int64_t now) {
  auto conn = connection();
  const Result r = conn->run("take_attempt", Params().bytes(id).integer(now));
  if (r.rows() == 0) return std::nullopt;
  return r.integer(0, 0);
}

void PostgresStore::return_passcode_attempt(const ShlId& id) {
  auto conn = connection();
  conn->run("return_attempt", Params().bytes(id));
}

bool PostgresStore::revoke_link(const ShlId& id, std::int64_t now) {
  auto conn = connection();
  Transaction tx(*conn);
  if (conn->run("revoke_link", Params().bytes(id).integer(now)).changed() == 0) return false;
  conn->run("delete_tickets", Params().bytes(id));
  tx.commit();
  return true;
}

void PostgresStore::add_ticket(const crypto::Digest& ticket, const ShlId& id, std::int64_t expires_at) {
  auto conn = connection();
  conn->run("add_ticket", Params().bytes(ticket).bytes(id).integer(expires_at));
}

std::optional<ShlFile> PostgresStore::take_ticket(const crypto::Digest& ticket, std::int64_t now) {
  auto conn = connection();
  const Result r = conn->run("take_ticket", Params().bytes(ticket).integer(now));
  if (r.rows() == 0) return std::nullopt;
  return file_of(r);
}

void PostgresStore::check_health() {
  auto conn = connection();
  conn->run("ping");
}

// ---- vault sync ----

namespace {
// The sync lock's key: 31 bits of the id, in the 'CHLK' two-int key space
// (1 and 2 are the migration and quota locks; a collision only makes two
// vaults' puts take turns).
std::int64_t sync_lock_key(const SyncId& id) {
  const std::uint32_t v = (std::uint32_t{id[0]} << 24 | std::uint32_t{id[1]} << 16 | std::uint32_t{id[2]} << 8 | id[3]);
  return static_cast<std::int64_t>((v & 0x7fffffffu) | 0x100u);  // never 1 or 2
}
}  // namespace

std::optional<SyncState> PostgresStore::get_sync(const SyncId& id) {
  auto conn = connection();
  const Result r = conn->run("get_sync", Params().bytes(id));
  if (r.rows() == 0) return std::nullopt;
  SyncState s;
  copy_exact(r.bytes(0, 0), s.sign_key);
  s.version = static_cast<std::uint64_t>(r.integer(0, 1));
  s.updated_at = r.integer(0, 2);
  s.expires_at = r.integer(0, 3);
  return s;
}

SyncPut PostgresStore::put_sync(const SyncId& id, const PublicKey& key, std::uint64_t base, ByteView bytes,
                                std::int64_t now, std::int64_t expires_at, std::size_t keep,
                                const StorageQuota& quota) {
  auto conn = connection();
  Transaction tx(*conn);
  conn->run("lock_sync", Params().integer(sync_lock_key(id)));
  std::uint64_t current = 0;
  {
    const Result r = conn->run("get_sync", Params().bytes(id));
    if (r.rows() > 0) {
      if (!crypto::equal(r.bytes(0, 0), ByteView(key.data(), key.size()))) return {SyncPutOutcome::wrong_key, 0};
      current = static_cast<std::uint64_t>(r.integer(0, 1));
    }
  }
  if (base != current) return {SyncPutOutcome::conflict, current};
  const std::uint64_t next = current + 1;
  const std::int64_t drop_below = static_cast<std::int64_t>(next) - static_cast<std::int64_t>(keep) + 1;
  if (quota.any()) {
    conn->run("lock_quota");  // after the sync lock, as put_bundle after its row lock
    const PublicKey none{};
    StorageUsage u = read_usage(*conn, none, quota.prefix, now, ByteView());
    const Result d = conn->run("sync_dropped", Params().bytes(id).integer(drop_below).bytes(view_of(quota.prefix)));
    for (int i = 0; i < d.rows(); ++i) {
      const auto size = static_cast<std::uint64_t>(d.integer(i, 0));
      u.global -= size;
      if (d.boolean(i, 1)) u.prefix -= size;
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
    conn->run("insert_sync", Params().bytes(id).bytes(key).integer(now).integer(expires_at));
  } else {
    conn->run("update_sync", Params().bytes(id).integer(as_int64(next)).integer(now).integer(expires_at));
  }
  conn->run("insert_sync_copy", Params()
                                    .bytes(id)
                                    .integer(as_int64(next))
                                    .integer(now)
                                    .integer(static_cast<std::int64_t>(bytes.size()))
                                    .bytes(view_of(quota.prefix))
                                    .bytes(bytes));
  conn->run("drop_sync_copies", Params().bytes(id).integer(drop_below));
  tx.commit();
  return {SyncPutOutcome::stored, next};
}

std::optional<SyncCopy> PostgresStore::get_sync_copy(const SyncId& id, std::uint64_t version) {
  auto conn = connection();
  const Result r = version == 0 ? conn->run("latest_sync_copy", Params().bytes(id))
                                : conn->run("sync_copy", Params().bytes(id).integer(as_int64(version)));
  if (r.rows() == 0) return std::nullopt;
  SyncCopy c;
  c.version = static_cast<std::uint64_t>(r.integer(0, 0));
  c.stored_at = r.integer(0, 1);
  const ByteView b = r.bytes(0, 2);
  c.bytes.assign(b.begin(), b.end());
  return c;
}

std::vector<std::uint64_t> PostgresStore::sync_versions(const SyncId& id) {
  auto conn = connection();
  const Result r = conn->run("sync_versions", Params().bytes(id));
  std::vector<std::uint64_t> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(static_cast<std::uint64_t>(r.integer(i, 0)));
  return out;
}

bool PostgresStore::delete_sync(const SyncId& id) {
  auto conn = connection();
  Transaction tx(*conn);
  conn->run("lock_sync", Params().integer(sync_lock_key(id)));
  conn->run("delete_sync_copies", Params().bytes(id));
  const bool had = conn->run("delete_sync", Params().bytes(id)).changed() > 0;
  tx.commit();
  return had;
}

}  // namespace chartlock::relay
