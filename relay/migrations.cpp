// SPDX-License-Identifier: Apache-2.0
#include "migrations.hpp"

namespace chartlock::relay {

const char* const kSchemaVersionTableSqlite =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)";
const char* const kSchemaVersionTablePostgres =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version integer PRIMARY KEY, description text NOT NULL, applied_at bigint NOT NULL)";

// Times are unix seconds. A grant row lives until purge_at (its expiry plus
// the tombstone margin) so that a revoked or expired grant answers 410, not
// 404. grants.sequence is the highest bundle sequence ever accepted.
const std::vector<Migration>& sqlite_migrations() {
  static const std::vector<Migration> steps = {
      {1, "grants, bundles, nonces", R"sql(
CREATE TABLE grants (
  id          BLOB PRIMARY KEY CHECK (length(id) = 16),
  patient_key BLOB NOT NULL CHECK (length(patient_key) = 32),
  tool_key    BLOB NOT NULL CHECK (length(tool_key) = 32),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  purge_at    INTEGER NOT NULL,
  revoked_at  INTEGER,
  sequence    INTEGER
) WITHOUT ROWID;
CREATE INDEX grants_by_patient ON grants (patient_key);
CREATE INDEX grants_by_purge ON grants (purge_at);
CREATE TABLE bundles (
  grant_id   BLOB PRIMARY KEY REFERENCES grants (id) ON DELETE CASCADE,
  sequence   INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  stored_at  INTEGER NOT NULL,
  size       INTEGER NOT NULL,
  bytes      BLOB NOT NULL
);
CREATE INDEX bundles_by_expiry ON bundles (expires_at);
CREATE TABLE nonces (
  key_id     BLOB NOT NULL,
  nonce      BLOB NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (key_id, nonce)
) WITHOUT ROWID;
CREATE INDEX nonces_by_expiry ON nonces (expires_at);
)sql"},
      // The address prefix (rate_limit.hpp) a bundle was uploaded from, for
      // the per-address storage quota ('' for bundles stored before), and
      // indexes that cover the quota sums (no table reads per put).
      {2, "bundles.prefix for storage quotas", R"sql(
ALTER TABLE bundles ADD COLUMN prefix BLOB NOT NULL DEFAULT X'';
CREATE INDEX bundles_by_prefix ON bundles (prefix, expires_at, size, grant_id);
DROP INDEX bundles_by_expiry;
CREATE INDEX bundles_by_expiry ON bundles (expires_at, size, grant_id);
)sql"},
      // SMART Health Links (docs/relay-protocol.md §10): a link with its one
      // file (ciphertext), and the single-use tickets behind file locations.
      {3, "SMART Health Links", R"sql(
CREATE TABLE shl_links (
  id              BLOB PRIMARY KEY CHECK (length(id) = 32),
  manage_key      BLOB NOT NULL CHECK (length(manage_key) = 32),
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  purge_at        INTEGER NOT NULL,
  revoked_at      INTEGER,
  long_term       INTEGER NOT NULL,
  passcode_hash   TEXT,
  attempts_left   INTEGER NOT NULL DEFAULT 0,
  content_type    TEXT,
  file            BLOB,
  file_size       INTEGER NOT NULL DEFAULT 0,
  file_updated_at INTEGER NOT NULL DEFAULT 0,
  prefix          BLOB NOT NULL DEFAULT X''
);
CREATE INDEX shl_links_by_prefix ON shl_links (prefix, expires_at, file_size, id);
CREATE INDEX shl_links_by_expiry ON shl_links (expires_at, file_size, id);
CREATE INDEX shl_links_by_purge ON shl_links (purge_at);
CREATE TABLE shl_tickets (
  ticket     BLOB PRIMARY KEY CHECK (length(ticket) = 32),
  link_id    BLOB NOT NULL REFERENCES shl_links (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX shl_tickets_by_expiry ON shl_tickets (expires_at);
CREATE INDEX shl_tickets_by_link ON shl_tickets (link_id);
)sql"},
      // Vault sync (docs/relay-protocol.md §11): a space per sync id, pinned
      // to its first writer's key, and its last few copies (ciphertext).
      {4, "vault sync", R"sql(
CREATE TABLE sync_spaces (
  id         BLOB PRIMARY KEY CHECK (length(id) = 32),
  sign_key   BLOB NOT NULL CHECK (length(sign_key) = 32),
  version    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sync_spaces_by_expiry ON sync_spaces (expires_at);
CREATE TABLE sync_copies (
  sync_id   BLOB NOT NULL REFERENCES sync_spaces (id) ON DELETE CASCADE,
  version   INTEGER NOT NULL,
  stored_at INTEGER NOT NULL,
  size      INTEGER NOT NULL,
  prefix    BLOB NOT NULL,
  bytes     BLOB NOT NULL,
  PRIMARY KEY (sync_id, version)
);
CREATE INDEX sync_copies_by_prefix ON sync_copies (prefix, size);
)sql"},
  };
  return steps;
}

const std::vector<Migration>& postgres_migrations() {
  static const std::vector<Migration> steps = {
      {1, "grants, bundles, nonces", R"sql(
CREATE TABLE grants (
  id          bytea PRIMARY KEY CHECK (octet_length(id) = 16),
  patient_key bytea NOT NULL CHECK (octet_length(patient_key) = 32),
  tool_key    bytea NOT NULL CHECK (octet_length(tool_key) = 32),
  created_at  bigint NOT NULL,
  expires_at  bigint NOT NULL,
  purge_at    bigint NOT NULL,
  revoked_at  bigint,
  sequence    bigint
);
CREATE INDEX grants_by_patient ON grants (patient_key);
CREATE INDEX grants_by_purge ON grants (purge_at);
CREATE TABLE bundles (
  grant_id   bytea PRIMARY KEY REFERENCES grants (id) ON DELETE CASCADE,
  sequence   bigint NOT NULL,
  expires_at bigint NOT NULL,
  stored_at  bigint NOT NULL,
  size       bigint NOT NULL,
  bytes      bytea NOT NULL
);
-- Ciphertext does not compress: store it out of line without trying.
ALTER TABLE bundles ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE INDEX bundles_by_expiry ON bundles (expires_at);
CREATE TABLE nonces (
  key_id     bytea NOT NULL,
  nonce      bytea NOT NULL,
  expires_at bigint NOT NULL,
  PRIMARY KEY (key_id, nonce)
);
CREATE INDEX nonces_by_expiry ON nonces (expires_at);
)sql"},
      {2, "bundles.prefix for storage quotas", R"sql(
ALTER TABLE bundles ADD COLUMN prefix bytea NOT NULL DEFAULT '\x'::bytea;
CREATE INDEX bundles_by_prefix ON bundles (prefix, expires_at, size, grant_id);
DROP INDEX bundles_by_expiry;
CREATE INDEX bundles_by_expiry ON bundles (expires_at, size, grant_id);
)sql"},
      {3, "SMART Health Links", R"sql(
CREATE TABLE shl_links (
  id              bytea PRIMARY KEY CHECK (octet_length(id) = 32),
  manage_key      bytea NOT NULL CHECK (octet_length(manage_key) = 32),
  created_at      bigint NOT NULL,
  expires_at      bigint NOT NULL,
  purge_at        bigint NOT NULL,
  revoked_at      bigint,
  long_term       boolean NOT NULL,
  passcode_hash   text,
  attempts_left   bigint NOT NULL DEFAULT 0,
  content_type    text,
  file            bytea,
  file_size       bigint NOT NULL DEFAULT 0,
  file_updated_at bigint NOT NULL DEFAULT 0,
  prefix          bytea NOT NULL DEFAULT '\x'::bytea
);
ALTER TABLE shl_links ALTER COLUMN file SET STORAGE EXTERNAL;
CREATE INDEX shl_links_by_prefix ON shl_links (prefix, expires_at, file_size, id);
CREATE INDEX shl_links_by_expiry ON shl_links (expires_at, file_size, id);
CREATE INDEX shl_links_by_purge ON shl_links (purge_at);
CREATE TABLE shl_tickets (
  ticket     bytea PRIMARY KEY CHECK (octet_length(ticket) = 32),
  link_id    bytea NOT NULL REFERENCES shl_links (id) ON DELETE CASCADE,
  expires_at bigint NOT NULL
);
CREATE INDEX shl_tickets_by_expiry ON shl_tickets (expires_at);
CREATE INDEX shl_tickets_by_link ON shl_tickets (link_id);
)sql"},
      {4, "vault sync", R"sql(
CREATE TABLE sync_spaces (
  id         bytea PRIMARY KEY CHECK (octet_length(id) = 32),
  sign_key   bytea NOT NULL CHECK (octet_length(sign_key) = 32),
  version    bigint NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX sync_spaces_by_expiry ON sync_spaces (expires_at);
CREATE TABLE sync_copies (
  sync_id   bytea NOT NULL REFERENCES sync_spaces (id) ON DELETE CASCADE,
  version   bigint NOT NULL,
  stored_at bigint NOT NULL,
  size      bigint NOT NULL,
  prefix    bytea NOT NULL,
  bytes     bytea NOT NULL,
  PRIMARY KEY (sync_id, version)
);
ALTER TABLE sync_copies ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE INDEX sync_copies_by_prefix ON sync_copies (prefix, size);
)sql"},
  };
  return steps;
}

}  // namespace chartlock::relay
