// SPDX-License-Identifier: Apache-2.0
// The relay's configuration: command-line flags, each with an environment
// variable (CHARTLOCK_RELAY_…) as a fallback. Flags win over the environment;
// unknown flags and bad values are errors, never ignored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace chartlock::relay {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A token bucket: `per_minute` tokens a minute, at most `burst` saved up.
// per_minute == 0 turns the limit off.
struct RateLimit {
  double per_minute = 0;
  double burst = 0;
};

struct Config {
  std::string host = "127.0.0.1";
  int port = 8787;  // 0: any free port (the start log line says which)
  std::string db = "chartlock-relay.db";  // a SQLite path, or postgres://…
  std::size_t threads = 16;
  std::size_t max_bundle_bytes = std::size_t{16} << 20;
  std::vector<std::string> allowed_origins;  // exact "scheme://host[:port]"
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For is believed
  std::int64_t skew_seconds = 300;
  std::int64_t max_grant_days = 400;
  std::int64_t tombstone_days = 30;  // a grant row outlives its expiry by this much
  std::size_t max_grants_per_key = 100;
  // Storage quotas on unexpired bundle bytes (0: none): per patient key, per
  // client address prefix (IPv4 /32, IPv6 /64), and for the whole relay.
  std::uint64_t max_bytes_per_key = std::uint64_t{64} << 20;
  std::uint64_t max_bytes_per_address = std::uint64_t{256} << 20;
  std::uint64_t max_stored_bytes = std::uint64_t{10} << 30;
  RateLimit key_rate{120, 60};
  RateLimit address_rate{600, 200};
  std::int64_t purge_interval_seconds = 60;
  // scheme://host[:port] clients reach the relay at, for the SMART Health
  // Link file locations it hands out; empty: http:// and the Host header.
  std::string public_url;
  bool help = false;
  bool version = false;
};

// Looks up an environment variable (std::getenv in main, a map in tests).
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// args: the arguments after the program name. Throws ConfigError naming the
// flag (or variable) and what is wrong with it.
Config parse_config(const std::vector<std::string>& args, const EnvLookup& env);

// --help text.
const char* config_usage();

// Parses "16MiB", "512K", "1048576" (binary multiples; K = KiB).
std::size_t parse_size(const std::string& text);

}  // namespace chartlock::relay
