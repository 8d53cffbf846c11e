// SPDX-License-Identifier: Apache-2.0
// Counters for GET /metrics, in the Prometheus text format (version 0.0.4).
// Request counts by route and status, a latency histogram by route, bytes in
// and out, rate-limit and storage-quota refusals, purges; database gauges are read at scrape
// time. Labels are fixed strings (route templates, never ids).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "store.hpp"

namespace chartlock::relay {

class Metrics {
 public:
  Metrics();

  void request(const std::string& route, const std::string& method, int status, double seconds,
               std::uint64_t bytes_in, std::uint64_t bytes_out);
  void rate_limited(const char* scope);  // "address" or "key"
  void purged(const PurgeCounts& n);
  void quota_refused(const char* scope);  // "key", "address" or "global"

  // The exposition text; `stats` are the database gauges (absent when the
  // database did not answer, which sets chartlock_relay_db_up to 0).
  // `stored_bytes_limit` is the global storage cap (0: none).
  std::string render(const std::optional<StoreStats>& stats, const char* backend,
                     std::uint64_t stored_bytes_limit = 0) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};  // cumulative on render
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  double start_time_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::uint64_t bytes_in_ = 0;
  std::uint64_t bytes_out_ = 0;
  std::map<std::string, std::uint64_t> rate_limited_;
  std::map<std::string, std::uint64_t> quota_refused_;
  PurgeCounts purged_;
};

}  // namespace chartlock::relay
