// SPDX-License-Identifier: Apache-2.0
#include "store.hpp"

namespace chartlock::relay {

Store::NonceAndBundle Store::remember_nonce_and_get_bundle(const PublicKey& key, const RequestNonce& nonce,
                                                           std::int64_t nonce_expires_at, const GrantId& id,
                                                           std::int64_t now) {
  NonceAndBundle out;
  out.fresh = remember_nonce(key, nonce, nonce_expires_at);
  if (out.fresh) out.bundle = get_bundle(id, now);
  return out;
}

namespace {

bool over(std::uint64_t used, std::uint64_t adding, std::uint64_t limit) {
  return limit != 0 && (adding > limit || used > limit - adding);
}

}  // namespace

PutOutcome quota_outcome(const StorageUsage& u, std::uint64_t size, const StorageQuota& quota) {
  if (over(u.patient, size, quota.per_patient_bytes)) return PutOutcome::over_patient_quota;
  if (over(u.prefix, size, quota.per_prefix_bytes)) return PutOutcome::over_prefix_quota;
  if (over(u.global, size, quota.global_bytes)) return PutOutcome::over_global_quota;
  return PutOutcome::created;
}

}  // namespace chartlock::relay
