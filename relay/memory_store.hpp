// A Store kept in memory, for a relay with no database: the static demo's,
// compiled to wasm and run in a Service Worker, which saves it (save()) to
// IndexedDB after every change and restores it (MemoryStore(saved)) when the
// browser starts the worker again. One process, one instance: every method
// takes one mutex, which makes each atomic.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "store.hpp"

namespace chartlock::relay {

class MemoryStore final : public Store {
 public:
  MemoryStore() = default;
  // What save() wrote; throws StoreError when it is not that.
  explicit MemoryStore(ByteView saved);

  const char* backend() const noexcept override { return "memory"; }
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
  PurgeCounts purge_expired(std::int64_t now) override;
  StoreStats stats(std::int64_t now) override;
  void check_health() override {}

  // Everything it holds, as bytes (JSON).
  Bytes save();

 private:
  struct GrantRow {
    Grant grant;
    std::int64_t purge_at = 0;
  };
  struct BundleRow {
    StoredBundle bundle;
    std::string prefix;  // the uploader's address prefix (StorageQuota)
  };

  StorageUsage usage_locked(const PublicKey& patient_key, const std::string& prefix, std::int64_t now,
                            const GrantId* except) const;

  std::mutex mutex_;
  std::map<GrantId, GrantRow> grants_;
  std::map<GrantId, BundleRow> bundles_;
  std::map<std::pair<PublicKey, RequestNonce>, std::int64_t> nonces_;  // → expires_at
};

}  // namespace chartlock::relay
