// SPDX-License-Identifier: Apache-2.0
// Token buckets (rate_limit.hpp).
#include <functional>
#include <string>
#include <vector>

#include "rate_limit.hpp"
#include "support.hpp"

using namespace chartlock::relay;

TEST_CASE("rate limiter: a burst, then one token per interval", "[rate]") {
  RateLimiter limiter(RateLimit{60, 3});  // one a second, three saved up
  double t = 1000;
  for (int i = 0; i < 3; ++i) CHECK(limiter.take("a", t).allowed);
  const auto refused = limiter.take("a", t);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after == 1);
  CHECK(limiter.take("b", t).allowed);  // keys are independent
  CHECK_FALSE(limiter.take("a", t + 0.5).allowed);
  CHECK(limiter.take("a", t + 1.6).allowed);
  CHECK_FALSE(limiter.take("a", t + 1.7).allowed);
  // Long idle: back to a full burst, never more.
  for (int i = 0; i < 3; ++i) CHECK(limiter.take("a", t + 1000).allowed);
  CHECK_FALSE(limiter.take("a", t + 1000).allowed);
}

TEST_CASE("rate limiter: Retry-After rounds up to whole seconds", "[rate]") {
  RateLimiter slow(RateLimit{6, 1});  // one every ten seconds
  CHECK(slow.take("k", 0).allowed);
  const auto d = slow.take("k", 2.5);
  CHECK_FALSE(d.allowed);
  CHECK(d.retry_after == 8);
}

TEST_CASE("rate limiter: off when the rate is 0", "[rate]") {
  RateLimiter off(RateLimit{0, 0});
  CHECK_FALSE(off.enabled());
  for (int i = 0; i < 1000; ++i) CHECK(off.take("k", 0).allowed);
  CHECK(off.size() == 0);
}

TEST_CASE("rate limiter: memory is bounded and idle buckets are swept", "[rate]") {
  RateLimiter limiter(RateLimit{60, 2}, 160);  // 10 per shard
  for (int i = 0; i < 10000; ++i) limiter.take("client-" + std::to_string(i), 0);
  CHECK(limiter.size() <= 160);
  limiter.sweep(0);
  CHECK(limiter.size() > 0);  // all still below full
  limiter.sweep(10);          // refilled: nothing worth keeping
  CHECK(limiter.size() == 0);
}

TEST_CASE("rate limiter: clients are keyed by address prefix, IPv4 /32 and IPv6 /64", "[rate]") {
  CHECK(address_prefix("192.0.2.7") == "192.0.2.7");
  CHECK(address_prefix("::ffff:192.0.2.7") == "192.0.2.7");
  CHECK(address_prefix("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64");
  CHECK(address_prefix("2001:DB8:1:2::1") == "2001:db8:1:2::/64");
  CHECK(address_prefix("2001:db8:1:3::1") == "2001:db8:1:3::/64");
  CHECK(address_prefix("::1") == "::/64");
  CHECK(address_prefix("not an address") == "not an address");

  // A client rotating through its /64 spends one bucket.
  RateLimiter limiter(RateLimit{60, 3});
  int allowed = 0;
  for (int i = 0; i < 50; ++i) {
    const std::string rotating = "2001:db8:1:2:" + std::to_string(1000 + i) + "::" + std::to_string(i + 1);
    if (limiter.take(address_prefix(rotating), 0).allowed) ++allowed;
  }
  CHECK(allowed == 3);
  CHECK(limiter.take(address_prefix("2001:db8:1:3::1"), 0).allowed);  // the next /64 is another client
}

TEST_CASE("rate limiter: a full shard never forgets a client it is refusing", "[rate]") {
  RateLimiter limiter(RateLimit{60, 2}, 16);  // one bucket per shard
  const double t = 100;
  CHECK(limiter.take("attacker", t).allowed);
  CHECK(limiter.take("attacker", t).allowed);
  CHECK_FALSE(limiter.take("attacker", t).allowed);
  // Thousands of new clients at the same moment: every shard overflows.
  for (int i = 0; i < 5000; ++i) limiter.take("client-" + std::to_string(i), t);
  const auto d = limiter.take("attacker", t + 0.5);
  CHECK_FALSE(d.allowed);  // still limited: no fresh burst for being forgotten
  CHECK(d.retry_after == 1);
  // Clients that are not refused are still evicted: memory stays bounded
  // (16 shards, each one bucket plus the one refusing bucket at most).
  CHECK(limiter.size() <= 17);
}

TEST_CASE("rate limiter: eviction takes the bucket with the most tokens", "[rate]") {
  RateLimiter limiter(RateLimit{60, 4}, 32);  // two buckets per shard
  // Three keys that land in one shard.
  std::vector<std::string> same;
  const auto shard = [](const std::string& k) { return std::hash<std::string>{}(k) % 16; };
  for (int i = 0; same.size() < 3; ++i) {
    const std::string k = "k" + std::to_string(i);
    if (same.empty() || shard(k) == shard(same[0])) same.push_back(k);
  }
  for (int i = 0; i < 3; ++i) CHECK(limiter.take(same[0], 0).allowed);  // 1 token left
  CHECK(limiter.take(same[1], 0).allowed);                              // 3 tokens left
  CHECK(limiter.take(same[2], 0).allowed);                              // evicts same[1]
  CHECK(limiter.take(same[0], 0).allowed);                              // kept: its last token
  CHECK_FALSE(limiter.take(same[0], 0).allowed);
}
