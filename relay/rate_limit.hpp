// SPDX-License-Identifier: Apache-2.0
// Token buckets keyed by a string (a signing key, a client address). Kept in
// memory by each instance: with N instances behind a load balancer a client
// gets up to N times the rate, which bounds abuse well enough without a
// database write per request. Memory is bounded: at most max_entries
// buckets, full (idle) buckets are forgotten first; when a shard is still
// full, the bucket holding the most tokens (the least use of forgetting it,
// the least recently used among equals) goes, and never one that is
// currently refusing: forgetting it would hand its client a fresh burst.
// (A shard whose buckets all refuse may then grow past the bound; each such
// bucket costs its client a whole burst of requests, and refills and is
// swept within burst/rate.)
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "config.hpp"

namespace chartlock::relay {

// The rate-limit (and storage-quota) key of a client address: an IPv4
// address as itself (/32), an IPv6 address as its /64 ("2001:db8:1:2::/64"),
// since one subscriber is routinely given a whole /64 to rotate through. An
// IPv4-mapped IPv6 address counts as its IPv4 address. Text that is not an
// address is returned unchanged.
std::string address_prefix(const std::string& address);

class RateLimiter {
 public:
  struct Decision {
    bool allowed = true;
    std::int64_t retry_after = 0;  // whole seconds until a token is back (when refused)
  };

  explicit RateLimiter(RateLimit limit, std::size_t max_entries = 100'000);

  bool enabled() const noexcept { return per_second_ > 0; }
  // Takes a token from key's bucket at `now` (seconds on a monotonic clock).
  Decision take(const std::string& key, double now);
  // Forgets buckets that have refilled completely (they hold no state).
  void sweep(double now);
  std::size_t size();

 private:
  struct Bucket {
    double tokens;
    double updated;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Bucket> buckets;
  };
  static constexpr std::size_t kShards = 16;

  double refill(const Bucket& b, double now) const;
  void sweep_shard(Shard& shard, double now);
  // Forgets the bucket with the most tokens, unless every bucket is refusing.
  void evict_one(Shard& shard, double now);

  double per_second_;
  double capacity_;
  std::size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace chartlock::relay
