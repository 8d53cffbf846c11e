// SPDX-License-Identifier: Apache-2.0
// Where the relay keeps grants, bundles (ciphertext) and used nonces: one
// interface, two backends (SQLite for one instance, PostgreSQL for several).
// Every method is safe to call from many threads at once; each is atomic.
// The schema is in migrations.cpp and docs/relay-protocol.md ("Storage").
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/bytes.hpp"
#include "chartlock/crypto/hash.hpp"
#include "chartlock/crypto/keys.hpp"
#include "chartlock/crypto/request.hpp"
#include "chartlock/crypto/shl.hpp"
#include "chartlock/crypto/sync.hpp"

namespace chartlock::relay {

using crypto::Bytes;
using crypto::ByteView;
using crypto::GrantId;
using crypto::PublicKey;
using crypto::RequestNonce;
using crypto::ShlId;
using crypto::SyncId;

struct Grant {
  GrantId id{};
  PublicKey patient_key{};  // signs PUT and DELETE (the bundle's signer)
  PublicKey tool_key{};     // signs GET
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;             // unix seconds; live while now <= expires_at
  std::optional<std::int64_t> revoked_at;  // set: a tombstone (its bundle is gone)
  // The highest bundle sequence accepted so far; it outlives the bundle, so
  // an old bundle can never come back after the current one expires.
  std::optional<std::uint64_t> sequence;
};

struct StoredBundle {
  std::uint64_t sequence = 0;
  std::int64_t expires_at = 0;  // min(the bundle's expiry, the grant's)
  Bytes bytes;
};

enum class CreateOutcome { created, exists, limit_reached };
// gone: at write time the grant was unknown, revoked or expired.
// over_*_quota: storing the bundle would take the bytes stored past a quota
// (StorageQuota); nothing was written.
enum class PutOutcome {
  created,
  replaced,
  stale_sequence,
  gone,
  over_patient_quota,
  over_prefix_quota,
  over_global_quota
};

// Bounds on the ciphertext kept, checked by put_bundle against what the
// database holds (so they hold across restarts and across instances). Bytes
// of bundles not yet expired count; a bundle replaced counts its new size in
// place of the old one. 0: no bound.
struct StorageQuota {
  std::uint64_t per_patient_bytes = 0;  // all bundles of the grant's patient key
  std::string prefix;                   // the uploader's address prefix, as stored (the service hashes it)
  std::uint64_t per_prefix_bytes = 0;   // all bundles last uploaded from `prefix`
  std::uint64_t global_bytes = 0;       // every bundle stored
  bool any() const { return per_patient_bytes || per_prefix_bytes || global_bytes; }
};

// Bytes of unexpired bundles at `now`, as put_bundle counts them.
struct StorageUsage {
  std::uint64_t patient = 0;
  std::uint64_t prefix = 0;
  std::uint64_t global = 0;
};

// A SMART Health Link (shl.hpp, docs/relay-protocol.md §10): the row, without
// its file's bytes.
struct ShlLink {
  ShlId id{};
  PublicKey manage_key{};  // signs PUT file and DELETE
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;             // the manifest answers while now <= expires_at
  std::optional<std::int64_t> revoked_at;  // set: the file is gone, the manifest answers 404
  bool long_term = false;                  // flag L: the file may be replaced
  std::optional<std::string> passcode_hash;  // flag P: crypto_pwhash_str
  std::int64_t attempts_left = 0;          // wrong passcodes still allowed (P only); 0: dead
  std::optional<std::string> content_type;   // set once a file is stored
  std::uint64_t file_size = 0;
  std::int64_t file_updated_at = 0;
};

struct ShlFile {
  std::string content_type;
  std::int64_t updated_at = 0;
  Bytes bytes;  // the compact JWE
};

// Vault sync (sync.hpp, docs/relay-protocol.md §11): one vault's sync
// space, pinned to the key of its first write, and its last few copies.
struct SyncState {
  PublicKey sign_key{};        // pinned by the first PUT; signs every request after it
  std::uint64_t version = 0;   // the latest copy's
  std::int64_t updated_at = 0;
  std::int64_t expires_at = 0;  // purged after this unless written again
};

struct SyncCopy {
  std::uint64_t version = 0;
  std::int64_t stored_at = 0;
  Bytes bytes;  // the sealed sync copy, as uploaded
};

enum class SyncPutOutcome { stored, conflict, wrong_key, over_prefix_quota, over_global_quota };

struct SyncPut {
  SyncPutOutcome outcome = SyncPutOutcome::stored;
  // stored: the new copy's version; conflict: the current one (0: nothing stored).
  std::uint64_t version = 0;
};

struct PurgeCounts {
  std::uint64_t bundles = 0;
  std::uint64_t grants = 0;
  std::uint64_t nonces = 0;
  std::uint64_t shl_files = 0;  // files of links past their expiry
  std::uint64_t shl_links = 0;  // link rows past purge_at
  std::uint64_t sync_spaces = 0;  // vault sync spaces not written for kSyncIdleDays
};

struct StoreStats {
  std::uint64_t grants_live = 0;
  std::uint64_t grants_revoked = 0;  // tombstones
  std::uint64_t grants_expired = 0;  // kept to answer 410 until purged
  std::uint64_t bundles = 0;
  std::uint64_t bundle_bytes = 0;
};

// The database failed or is unreachable. The message is safe to log and to
// show (never the connection string, never data).
struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual const char* backend() const noexcept = 0;  // "sqlite" or "postgres"
  virtual int schema_version() = 0;

  // Adds the grant unless its id is taken (live, expired or tombstoned:
  // exists) or its patient key already has max_live_per_patient live grants
  // at `now` (limit_reached). The row is kept until purge_at.
  virtual CreateOutcome create_grant(const Grant& grant, std::int64_t purge_at,
                                     std::size_t max_live_per_patient, std::int64_t now) = 0;
  virtual std::optional<Grant> get_grant(const GrantId& id) = 0;

  // Compare-and-set: stores the bundle (replacing the grant's previous one)
  // only if the grant is live at `now`, `sequence` is greater than every
  // sequence accepted for it before, and the bytes stored stay within
  // `quota` (checked in that order; the quotas patient key, prefix, global).
  // `sequence` must be <= INT64_MAX. The check and the write are atomic, also
  // across instances sharing a PostgreSQL database.
  virtual PutOutcome put_bundle(const GrantId& id, std::uint64_t sequence, std::int64_t expires_at,
                                ByteView bytes, std::int64_t now, const StorageQuota& quota = {}) = 0;
  // What the quotas see at `now` for a patient key and an address prefix.
  virtual StorageUsage usage(const PublicKey& patient_key, const std::string& prefix, std::int64_t now) = 0;
  // The grant's bundle, if one is stored and not expired at `now`.
  virtual std::optional<StoredBundle> get_bundle(const GrantId& id, std::int64_t now) = 0;

  // Marks a live grant revoked at `now` and deletes its bundle, atomically.
  // False when the grant is unknown or already revoked.
  virtual bool revoke(const GrantId& id, std::int64_t now) = 0;

  // True the first time (key, nonce) is offered; false for a replay. The
  // pair is remembered at least until expires_at.
  virtual bool remember_nonce(const PublicKey& key, const RequestNonce& nonce,
                              std::int64_t expires_at) = 0;

  // remember_nonce, then, only if the nonce was fresh, get_bundle: what a
  // GET needs after its grant checks. A backend may do both in one round
  // trip (PostgreSQL does); the default calls the two above.
  struct NonceAndBundle {
    bool fresh = false;
    std::optional<StoredBundle> bundle;
  };
  virtual NonceAndBundle remember_nonce_and_get_bundle(const PublicKey& key, const RequestNonce& nonce,
                                                       std::int64_t nonce_expires_at, const GrantId& id,
                                                       std::int64_t now);

  // ---- SMART Health Links ----
  // Adds the link unless its id is taken (also by a revoked or expired link
  // not yet purged): false. The row is kept until purge_at.
  virtual bool create_link(const ShlLink& link, std::int64_t purge_at) = 0;
  virtual std::optional<ShlLink> get_link(const ShlId& id) = 0;
  // Stores (or replaces) the link's file if the link is live at `now` and
  // the bytes stay within `quota` (prefix and global; the per-key quota does
  // not apply to links). created / replaced / gone / over_*_quota.
  virtual PutOutcome put_link_file(const ShlId& id, const std::string& content_type, ByteView bytes,
                                   std::int64_t now, const StorageQuota& quota) = 0;
  virtual std::optional<ShlFile> get_link_file(const ShlId& id, std::int64_t now) = 0;
  // Takes one passcode attempt from a live link that has one left: the
  // attempts left after it. nullopt: none left, or the link is not live.
  virtual std::optional<std::int64_t> take_passcode_attempt(const ShlId& id, std::int64_t now) = 0;
  // Gives an attempt back (the passcode was right).
  virtual void return_passcode_attempt(const ShlId& id) = 0;
  // Marks a live link revoked and deletes its file and tickets, atomically.
  // False when unknown or already revoked.
  virtual bool revoke_link(const ShlId& id, std::int64_t now) = 0;
  // A file location: `ticket` (a hash of the secret in the URL) opens the
  // link's file once, until expires_at.
  virtual void add_ticket(const crypto::Digest& ticket, const ShlId& id, std::int64_t expires_at) = 0;
  // Deletes the ticket and returns the file, if the ticket was unexpired and
  // the link is live with a file.
  virtual std::optional<ShlFile> take_ticket(const crypto::Digest& ticket, std::int64_t now) = 0;

  // ---- vault sync ----
  // The backends implement these; the defaults throw StoreError (a store
  // without sync answers 503, as for a database failure).
  virtual std::optional<SyncState> get_sync(const SyncId& id);
  // Compare-and-set: stores `bytes` as version base + 1 only if `base` is the
  // current version (0: nothing stored yet, and then `key` is pinned) and
  // `key` is the pinned key, and the bytes kept stay within `quota` (address
  // prefix and global; every copy kept counts). Keeps the `keep` newest
  // copies, deleting older ones in the same transaction; the space then
  // lives until expires_at. Atomic across instances sharing a database.
  virtual SyncPut put_sync(const SyncId& id, const PublicKey& key, std::uint64_t base, ByteView bytes,
                           std::int64_t now, std::int64_t expires_at, std::size_t keep, const StorageQuota& quota);
  // The copy of that version (0: the latest), if kept.
  virtual std::optional<SyncCopy> get_sync_copy(const SyncId& id, std::uint64_t version);
  // The versions kept, oldest first.
  virtual std::vector<std::uint64_t> sync_versions(const SyncId& id);
  // Deletes the space and every copy. False when there was none.
  virtual bool delete_sync(const SyncId& id);

  // Deletes bundles past their expiry, grant rows past purge_at and nonces
  // past theirs; link files past the link's expiry, link rows past purge_at,
  // tickets past theirs; sync spaces past theirs, with their copies.
  virtual PurgeCounts purge_expired(std::int64_t now) = 0;
  virtual StoreStats stats(std::int64_t now) = 0;
  // Throws StoreError unless the database answers.
  virtual void check_health() = 0;
};

// Which quota (if any) a bundle of `size` bytes would exceed on top of `u`
// (the usage without the bundle it replaces): created when none.
PutOutcome quota_outcome(const StorageUsage& u, std::uint64_t size, const StorageQuota& quota);

// "postgres://…" or "postgresql://…" (libpq URI) opens PostgreSQL; anything
// else is a SQLite file path. `connections` bounds the connections (one per
// server thread is right). Migrates the schema. Throws StoreError.
std::unique_ptr<Store> open_store(const std::string& db, std::size_t connections);

bool is_postgres_url(const std::string& db);

}  // namespace chartlock::relay
