// SPDX-License-Identifier: Apache-2.0
// Vault sync at the relay (docs/relay-protocol.md §11; the copy's format:
// docs/vault-format.md §11): one sealed sync copy per vault, written with a
// signed compare-and-set on its version, the last few versions kept. The
// relay never sees a key that opens a copy: it sees the sync id (derived
// from the recovery key), the signing key pinned by the first write,
// sizes and times.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "api.hpp"
#include "config.hpp"
#include "service.hpp"
#include "store.hpp"

namespace chartlock::relay {

// Copies kept per vault: the latest and the four before it.
inline constexpr std::size_t kSyncVersionsKept = 5;
// A sync space not written for this long is purged with its copies.
inline constexpr std::int64_t kSyncIdleDays = 400;
// The response header that names a copy's version (GET).
inline constexpr const char* kSyncVersionHeader = "Chartlock-Sync-Version";

class SyncService {
 public:
  // `service` authenticates the signed requests (same header, rate, nonces).
  SyncService(Store& store, Service& service, const Config& config);

  // PUT /v1/sync/{id}?version=N (signed): N is the version the writer merged
  // into (0 for the first write); the body is the sealed sync copy.
  ApiResponse put(const ApiRequest& req, std::string_view sync_id);
  // GET /v1/sync/{id}[?version=N] (signed): the latest copy, or version N.
  ApiResponse get(const ApiRequest& req, std::string_view sync_id);
  // DELETE /v1/sync/{id} (signed): sync turned off, every copy deleted.
  ApiResponse remove(const ApiRequest& req, std::string_view sync_id);

 private:
  // The space, when it exists and `signer` is its pinned key (else 404/403).
  SyncState owned(const SyncId& id, const PublicKey& signer);

  Store& store_;
  Service& service_;
  const Config& config_;
};

// The version named by the request target's query: nullopt when there is
// no query; fail(400, malformed) for any query but "version=N" (decimal, no
// leading zero, at most 2^63-1).
std::optional<std::uint64_t> sync_version_query(std::string_view target);

}  // namespace chartlock::relay
