// SPDX-License-Identifier: Apache-2.0
// A Store kept in memory, for a relay with no database: the static demo's,
// compiled to wasm and run in a Service Worker, which saves it (save()) to
// IndexedDB after every change and restores it (MemoryStore(saved)) when the
// browser starts the worker again. One process, one instance: every method
// takes one mutex, which makes each atomic.
#pragma once

#include <map>
#include <mutex>
#include <optional>
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
  bool create_link(const ShlLink& link, std::int64_t purge_at) override;
  std::optional<ShlLink> get_link(const ShlId& id) override;
  PutOutcome put_link_file(const ShlId& id, const std::string& content_type, ByteView bytes,
                           std::int64_t now, const StorageQuota& quota) override;
  std::optional<ShlFile> get_link_file(const ShlId& id, std::int64_t now) override;
  std::optional<std::int64_t> take_passcode_attempt(const ShlId& id, std::int64_t now) override;
  void return_passcode_attempt(const ShlId& id) override;
  bool revoke_link(const ShlId& id, std::int64_t now) override;
  void add_ticket(const crypto::Digest& ticket, const ShlId& id, std::int64_t expires_at) override;
  std::optional<ShlFile> take_ticket(const crypto::Digest& ticket, std::int64_t now) override;
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

  // A link's row; its file's fields in `link` (content_type, file_size,
  // file_updated_at) hold while `file` is set.
  struct LinkRow {
    ShlLink link;
    std::int64_t purge_at = 0;
    std::optional<Bytes> file;
    std::string prefix;  // the uploader's address prefix, as a bundle's
  };
  struct TicketRow {
    ShlId link_id{};
    std::int64_t expires_at = 0;
  };

  // Bundles and (prefix and global only) link files, leaving out the
  // bundle of `except` and the file of `except_link`, as a put replaces them.
  StorageUsage usage_locked(const PublicKey& patient_key, const std::string& prefix, std::int64_t now,
                            const GrantId* except, const ShlId* except_link = nullptr) const;
  std::optional<ShlFile> live_file_locked(const ShlId& id, std::int64_t now) const;

  std::mutex mutex_;
  std::map<GrantId, GrantRow> grants_;
  std::map<GrantId, BundleRow> bundles_;
  std::map<std::pair<PublicKey, RequestNonce>, std::int64_t> nonces_;  // → expires_at
  std::map<ShlId, LinkRow> links_;
  std::map<crypto::Digest, TicketRow> tickets_;
};

}  // namespace chartlock::relay
