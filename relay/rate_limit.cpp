// SPDX-License-Identifier: Apache-2.0
#include "rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>

#include <arpa/inet.h>

namespace chartlock::relay {

std::string address_prefix(const std::string& address) {
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &v4, text, sizeof text);
    return text;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) != 1) return address;
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped, kMapped + 12, v6.s6_addr)) {
    std::memcpy(&v4, v6.s6_addr + 12, 4);
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &v4, text, sizeof text);
    return text;
  }
  std::memset(v6.s6_addr + 8, 0, 8);  // keep the /64
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, &v6, text, sizeof text);
  return std::string(text) + "/64";
}

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
      if (shard.buckets.size() >= max_per_shard_) evict_one(shard, now);
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

void RateLimiter::evict_one(Shard& shard, double now) {
  auto victim = shard.buckets.end();
  double victim_tokens = 0;
  for (auto it = shard.buckets.begin(); it != shard.buckets.end(); ++it) {
    const double tokens = refill(it->second, now);
    if (tokens < 1.0) continue;  // refusing now: never forgotten
    if (victim == shard.buckets.end() || tokens > victim_tokens ||
        (tokens == victim_tokens && it->second.updated < victim->second.updated)) {
      victim = it;
      victim_tokens = tokens;
    }
  }
  if (victim != shard.buckets.end()) shard.buckets.erase(victim);
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
