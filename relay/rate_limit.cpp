#include "rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace chartlock::relay {

RateLimiter::RateLimiter(RateLimit limit, std::size_t max_entries)
    : per_second_(limit.per_minute / 60.0),
      capacity_(std::max(1.0, limit.burst)),
      max_per_shard_(std::max<std::size_t>(1, max_entries / kShards)) {}

double RateLimiter::refill(const Bucket& b, double now) const {
  return std::min(capacity_, b.tokens + std::max(0.0, now - b.updated) * per_second_);
}

RateLimiter::Decision RateLimiter::take(const std::string& key, double now) {
  if (!enabled()) return {};
  Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= max_per_shard_) {
      sweep_shard(shard, now);
      // Still full of active buckets: drop one rather than grow.
      if (shard.buckets.size() >= max_per_shard_) shard.buckets.erase(shard.buckets.begin());
    }
    it = shard.buckets.emplace(key, Bucket{capacity_, now}).first;
  }
  Bucket& b = it->second;
  b.tokens = refill(b, now);
  b.updated = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  const double wait = (1.0 - b.tokens) / per_second_;
  return {false, std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait)))};
}

void RateLimiter::sweep_shard(Shard& shard, double now) {
  for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
    if (refill(it->second, now) >= capacity_) it = shard.buckets.erase(it);
    else ++it;
  }
}

void RateLimiter::sweep(double now) {
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    sweep_shard(shard, now);
  }
}

std::size_t RateLimiter::size() {
  std::size_t n = 0;
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    n += shard.buckets.size();
  }
  return n;
}

}  // namespace chartlock::relay
