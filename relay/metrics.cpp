// SPDX-License-Identifier: Apache-2.0
#include "metrics.hpp"

#include <chrono>
#include <sstream>

namespace chartlock::relay {

Metrics::Metrics()
    : start_time_(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count()) {}

void Metrics::request(const std::string& route, const std::string& method, int status, double seconds,
                      std::uint64_t bytes_in, std::uint64_t bytes_out) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.counts[i];
      break;
    }
  }
  ++h.count;
  h.sum += seconds;
  bytes_in_ += bytes_in;
  bytes_out_ += bytes_out;
}

void Metrics::rate_limited(const char* scope) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++rate_limited_[scope];
}

void Metrics::quota_refused(const char* scope) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++quota_refused_[scope];
}

void Metrics::purged(const PurgeCounts& n) {
  std::lock_guard<std::mutex> lock(mutex_);
  purged_.bundles += n.bundles;
  purged_.grants += n.grants;
  purged_.nonces += n.nonces;
  purged_.shl_files += n.shl_files;
  purged_.shl_links += n.shl_links;
  purged_.sync_spaces += n.sync_spaces;
}

std::string Metrics::render(const std::optional<StoreStats>& stats, const char* backend,
                            std::uint64_t stored_bytes_limit) const {
  std::ostringstream o;
  o.precision(10);
  std::lock_guard<std::mutex> lock(mutex_);

  o << "# HELP chartlock_relay_requests_total Requests answered, by route template, method and status.\n"
       "# TYPE chartlock_relay_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    o << "chartlock_relay_requests_total{route=\"" << route << "\",method=\"" << method << "\",status=\""
      << status << "\"} " << n << "\n";
  }

  o << "# HELP chartlock_relay_request_duration_seconds Time from routing to the answer, by route template.\n"
       "# TYPE chartlock_relay_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.counts[i];
      o << "chartlock_relay_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << kBuckets[i]
        << "\"} " << cumulative << "\n";
    }
    o << "chartlock_relay_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count << "\n"
      << "chartlock_relay_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n"
      << "chartlock_relay_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
  }

  o << "# HELP chartlock_relay_received_bytes_total Request body bytes read.\n"
       "# TYPE chartlock_relay_received_bytes_total counter\n"
       "chartlock_relay_received_bytes_total " << bytes_in_ << "\n"
       "# HELP chartlock_relay_sent_bytes_total Response body bytes written.\n"
       "# TYPE chartlock_relay_sent_bytes_total counter\n"
       "chartlock_relay_sent_bytes_total " << bytes_out_ << "\n";

  o << "# HELP chartlock_relay_rate_limited_total Requests refused by a rate limit, by scope.\n"
       "# TYPE chartlock_relay_rate_limited_total counter\n";
  for (const char* scope : {"address", "key"}) {
    const auto it = rate_limited_.find(scope);
    o << "chartlock_relay_rate_limited_total{scope=\"" << scope << "\"} "
      << (it == rate_limited_.end() ? 0 : it->second) << "\n";
  }

  o << "# HELP chartlock_relay_quota_refused_total Bundles refused by a storage quota, by scope"
       " (key: patient key, address: client address prefix, global: the relay's cap).\n"
       "# TYPE chartlock_relay_quota_refused_total counter\n";
  for (const char* scope : {"key", "address", "global"}) {
    const auto it = quota_refused_.find(scope);
    o << "chartlock_relay_quota_refused_total{scope=\"" << scope << "\"} "
      << (it == quota_refused_.end() ? 0 : it->second) << "\n";
  }
  o << "# HELP chartlock_relay_stored_bytes_limit The relay's cap on bundle bytes stored (0: none).\n"
       "# TYPE chartlock_relay_stored_bytes_limit gauge\n"
       "chartlock_relay_stored_bytes_limit " << stored_bytes_limit << "\n";

  o << "# HELP chartlock_relay_purged_total Expired rows deleted by the purge timer, by kind.\n"
       "# TYPE chartlock_relay_purged_total counter\n"
       "chartlock_relay_purged_total{kind=\"bundle\"} " << purged_.bundles << "\n"
       "chartlock_relay_purged_total{kind=\"grant\"} " << purged_.grants << "\n"
       "chartlock_relay_purged_total{kind=\"nonce\"} " << purged_.nonces << "\n"
       "chartlock_relay_purged_total{kind=\"shl_file\"} " << purged_.shl_files << "\n"
       "chartlock_relay_purged_total{kind=\"shl_link\"} " << purged_.shl_links << "\n"
       "chartlock_relay_purged_total{kind=\"sync_space\"} " << purged_.sync_spaces << "\n";

  o << "# HELP chartlock_relay_start_time_seconds When this process started (unix seconds).\n"
       "# TYPE chartlock_relay_start_time_seconds gauge\n"
       "chartlock_relay_start_time_seconds " << static_cast<std::int64_t>(start_time_) << "\n";

  o << "# HELP chartlock_relay_db_up Whether the database answered this scrape.\n"
       "# TYPE chartlock_relay_db_up gauge\n"
       "chartlock_relay_db_up{backend=\"" << backend << "\"} " << (stats ? 1 : 0) << "\n";
  if (stats) {
    o << "# HELP chartlock_relay_grants Grants in the database, by state.\n"
         "# TYPE chartlock_relay_grants gauge\n"
         "chartlock_relay_grants{state=\"live\"} " << stats->grants_live << "\n"
         "chartlock_relay_grants{state=\"revoked\"} " << stats->grants_revoked << "\n"
         "chartlock_relay_grants{state=\"expired\"} " << stats->grants_expired << "\n"
         "# HELP chartlock_relay_bundles Bundles stored.\n"
         "# TYPE chartlock_relay_bundles gauge\n"
         "chartlock_relay_bundles " << stats->bundles << "\n"
         "# HELP chartlock_relay_bundle_bytes Bytes of ciphertext stored (expired bundles until purged).\n"
         "# TYPE chartlock_relay_bundle_bytes gauge\n"
         "chartlock_relay_bundle_bytes " << stats->bundle_bytes << "\n";
  }
  return o.str();
}

}  // namespace chartlock::relay
