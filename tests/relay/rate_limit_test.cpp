// Token buckets (rate_limit.hpp).
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
