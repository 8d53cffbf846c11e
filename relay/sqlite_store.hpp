// SPDX-License-Identifier: Apache-2.0
// The embedded backend: one SQLite file in WAL mode, for a single relay
// instance. Readers run in parallel on their own connections; writers take
// turns on an in-process mutex (SQLite has one writer at a time anyway, and
// waiting here avoids its sleep-and-retry busy loop). Nonce inserts, one per
// request, are group-committed: concurrent requests share one transaction
// and one fsync.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "pool.hpp"
#include "sqlite_db.hpp"
#include "store.hpp"

namespace chartlock::relay {

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, std::size_t connections);

  const char* backend() const noexcept override { return "sqlite"; }
  int schema_version() override;
  CreateOutcome create_grant(const Grant& grant, std::int64_t purge_at,
                             std::size_t max_live_per_patient, std::int64_t now) override;
  std::optional<Grant> get_grant(const GrantId& id) override;
  PutOutcome put_bundle(const GrantId& id, std::uint64_t sequence, std::int64_t expires_at,
                        ByteView bytes, std::int64_t now, const StorageQuota& quota = {}) override;
  StorageUsage usage(const PublicKey& patient_key, const std::string& prefix, std::int64_t now) override;
  std::optional<StoredBundle> get_bundle(const GrantId& id, std::int64_t now) override;
  bool revoke(const GrantId& id, std::int64_t now) override;
  bool remember_nonce(const PublicKey& key, const RequestNonce& nonce,
                      std::int64_t expires_at) override;
  bool create_link(const ShlLink& link, std::int64_t purge_at) override;
  std::optional<ShlLink> get_link(const ShlId& id) override;
  PutOutcome put_link_file(const ShlId& id, const std::string& content_type, ByteView bytes, std::int64_t now,
                           const StorageQuota& quota) override;
  std::optional<ShlFile> get_link_file(const ShlId& id, std::int64_t now) override;
  std::optional<std::int64_t> take_passcode_attempt(const ShlId& id, std::int64_t now) override;
  void return_passcode_attempt(const ShlId& id) override;
  bool revoke_link(const ShlId& id, std::int64_t now) override;
  void add_ticket(const crypto::Digest& ticket, const ShlId& id, std::int64_t expires_at) override;
  std::optional<ShlFile> take_ticket(const crypto::Digest& ticket, std::int64_t now) override;
  std::optional<SyncState> get_sync(const SyncId& id) override;
  SyncPut put_sync(const SyncId& id, const PublicKey& key, std::uint64_t base, ByteView bytes, std::int64_t now,
                   std::int64_t expires_at, std::size_t keep, const StorageQuota& quota) override;
  std::optional<SyncCopy> get_sync_copy(const SyncId& id, std::uint64_t version) override;
  std::vector<std::uint64_t> sync_versions(const SyncId& id) override;
  bool delete_sync(const SyncId& id) override;
  PurgeCounts purge_expired(std::int64_t now) override;
  StoreStats stats(std::int64_t now) override;
  void check_health() override;

 private:
  struct PendingNonce {
    const PublicKey* key;
    const RequestNonce* nonce;
    std::int64_t expires_at;
    bool done = false;
    bool fresh = false;
    std::string error;
  };

  void migrate(sqlite::Connection& conn);
  void commit_nonces(const std::vector<PendingNonce*>& batch);

  Pool<sqlite::Connection> pool_;
  std::mutex write_mutex_;  // held for every write transaction

  std::mutex nonce_mutex_;  // guards the three members below
  std::condition_variable nonce_done_;
  std::vector<PendingNonce*> nonce_queue_;
  bool nonce_committing_ = false;
};

}  // namespace chartlock::relay
