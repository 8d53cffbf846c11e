// SPDX-License-Identifier: Apache-2.0
// The exposition text (metrics.hpp): storage-quota counters and gauges.
#include "metrics.hpp"
#include "support.hpp"

using namespace chartlock::relay;

TEST_CASE("metrics: storage quota refusals by scope, stored bytes and the cap", "[metrics]") {
  Metrics m;
  m.quota_refused("key");
  m.quota_refused("key");
  m.quota_refused("global");
  StoreStats stats;
  stats.bundles = 3;
  stats.bundle_bytes = 12345;
  const std::string text = m.render(stats, "sqlite", std::uint64_t{10} << 30);
  CHECK_THAT(text, Catch::Contains("chartlock_relay_quota_refused_total{scope=\"key\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("chartlock_relay_quota_refused_total{scope=\"address\"} 0\n"));
  CHECK_THAT(text, Catch::Contains("chartlock_relay_quota_refused_total{scope=\"global\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("chartlock_relay_stored_bytes_limit 10737418240\n"));
  CHECK_THAT(text, Catch::Contains("chartlock_relay_bundle_bytes 12345\n"));
}
