// Token buckets keyed by a string (a signing key, a client address). Kept in
// memory by each instance: with N instances behind a load balancer a client
// gets up to N times the rate, which bounds abuse well enough without a
// database write per request. Memory is bounded: at most max_entries
// buckets, full (idle) buckets are forgotten first.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "config.hpp"

namespace chartlock::relay {

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

  double per_second_;
  double capacity_;
  std::size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace chartlock::relay
