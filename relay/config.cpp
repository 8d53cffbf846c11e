// SPDX-License-Identifier: Apache-2.0
#include "config.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace chartlock::relay {
namespace {

constexpr const char* kUsage = R"(usage: chartlock-relay [options]

Stores share bundles (ciphertext) for grants and hands them to the tool the
patient chose (docs/relay-protocol.md). Every option can also be set by the
environment variable named after it; the option wins.

Options:
  --listen HOST:PORT         where to listen (127.0.0.1:8787; port 0: any free
                             port)                       CHARTLOCK_RELAY_LISTEN
  --db PATH|URL              a SQLite file (chartlock-relay.db) or a PostgreSQL
                             URL postgres://user@host:port/db (prefer the
                             variable for a URL with a password)
                                                         CHARTLOCK_RELAY_DB
  --threads N                request threads and database connections (16)
                                                         CHARTLOCK_RELAY_THREADS
  --max-bundle-bytes SIZE    largest bundle accepted (16MiB; K, M, G are
                             binary multiples)     CHARTLOCK_RELAY_MAX_BUNDLE_BYTES
  --allowed-origin ORIGIN    a widget origin allowed by CORS, e.g.
                             https://widget.example; repeatable (none)
                                 CHARTLOCK_RELAY_ALLOWED_ORIGINS (comma-separated)
  --trusted-proxy ADDRESS    a load balancer whose X-Forwarded-For is believed
                             for per-address limits; repeatable (none)
                                 CHARTLOCK_RELAY_TRUSTED_PROXIES (comma-separated)
  --skew SECONDS             accepted clock skew of signed requests (300)
                                                         CHARTLOCK_RELAY_SKEW
  --max-grant-days DAYS      longest grant lifetime (400)
                                                 CHARTLOCK_RELAY_MAX_GRANT_DAYS
  --tombstone-days DAYS      how long a revoked or expired grant still answers
                             410 after its expiry (30) CHARTLOCK_RELAY_TOMBSTONE_DAYS
  --max-grants-per-key N     live grants per patient key (100)
                                             CHARTLOCK_RELAY_MAX_GRANTS_PER_KEY
  --max-bytes-per-key SIZE   bundle bytes stored for one patient key, all its
                             grants together; 0 = no quota (64MiB)
                                              CHARTLOCK_RELAY_MAX_BYTES_PER_KEY
  --max-bytes-per-address SIZE
                             bundle bytes stored from one client address
                             (IPv4) or /64 (IPv6); 0 = no quota (256MiB)
                                          CHARTLOCK_RELAY_MAX_BYTES_PER_ADDRESS
  --max-stored-bytes SIZE    bundle bytes stored in all; 0 = no cap (10GiB)
                                               CHARTLOCK_RELAY_MAX_STORED_BYTES
  --key-rate N               requests a minute per signing key, 0 = no limit
                             (120)                       CHARTLOCK_RELAY_KEY_RATE
  --key-burst N              requests a key may save up (60)
                                                         CHARTLOCK_RELAY_KEY_BURST
  --address-rate N           requests a minute per client address (IPv4) or
                             /64 (IPv6), 0 = no limit (600)
                                                     CHARTLOCK_RELAY_ADDRESS_RATE
  --address-burst N          requests an address may save up (200)
                                                 CHARTLOCK_RELAY_ADDRESS_BURST
  --purge-interval SECONDS   how often expired data is deleted (60)
                                             CHARTLOCK_RELAY_PURGE_INTERVAL
  --public-url URL           scheme://host[:port] clients reach this relay at,
                             for SMART Health Link file locations (default:
                             http:// and the request's Host)
                                                 CHARTLOCK_RELAY_PUBLIC_URL
  --help                     this text
  --version                  the version

Signals: SIGTERM or SIGINT stop accepting, finish the requests in flight,
and exit 0. Logs: one JSON line per request on stderr.
)";

using Setter = void (*)(Config&, const std::string& value, const std::string& name);

struct Option {
  const char* flag;
  const char* env;
  bool repeatable;  // a list: the flag repeats, the variable is comma-separated
  Setter set;
};

[[noreturn]] void bad(const std::string& name, const std::string& what) {
  throw ConfigError(name + ": " + what);
}

std::int64_t parse_int(const std::string& text, const std::string& name, std::int64_t lo, std::int64_t hi) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    bad(name, "expected a whole number");
  }
  const std::int64_t v = std::stoll(text);
  if (v < lo || v > hi) bad(name, "must be " + std::to_string(lo) + ".." + std::to_string(hi));
  return v;
}

void set_listen(Config& c, const std::string& v, const std::string& name) {
  const auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) bad(name, "expected HOST:PORT");
  std::string host = v.substr(0, colon);
  if (host.front() == '[') {  // [::1]:8787
    if (host.back() != ']' || host.size() < 3) bad(name, "expected [IPv6]:PORT");
    host = host.substr(1, host.size() - 2);
  }
  c.host = host;
  c.port = static_cast<int>(parse_int(v.substr(colon + 1), name, 0, 65535));
}

void set_origin(Config& c, const std::string& v, const std::string& name) {
  const bool http = v.rfind("http://", 0) == 0, https = v.rfind("https://", 0) == 0;
  const std::size_t authority = http ? 7 : 8;
  if ((!http && !https) || v.size() == authority || v.find('/', authority) != std::string::npos ||
      v.find('*') != std::string::npos ||
      std::any_of(v.begin(), v.end(), [](unsigned char ch) { return ch <= 0x20 || ch >= 0x7f; })) {
    bad(name, "an origin is scheme://host[:port], without a path, a trailing slash or wildcards");
  }
  c.allowed_origins.push_back(v);
}

void set_public_url(Config& c, const std::string& v, const std::string& name) {
  Config probe;
  set_origin(probe, v, name);  // the same shape as an origin
  c.public_url = v;
}

void set_proxy(Config& c, const std::string& v, const std::string& name) {
  if (v.empty() || v.find_first_of(" ,/") != std::string::npos) bad(name, "expected an IP address");
  c.trusted_proxies.push_back(v);
}

void set_quota(std::uint64_t& out, const std::string& v, const std::string& name) {
  try {
    out = parse_size(v);
  } catch (const ConfigError& e) {
    bad(name, e.what());
  }
}

void set_rate(double& out, const std::string& v, const std::string& name) {
  out = static_cast<double>(parse_int(v, name, 0, 1'000'000'000));
}

const Option kOptions[] = {
    {"--listen", "CHARTLOCK_RELAY_LISTEN", false, set_listen},
    {"--db", "CHARTLOCK_RELAY_DB", false,
     [](Config& c, const std::string& v, const std::string& name) {
       if (v.empty()) bad(name, "must not be empty");
       c.db = v;
     }},
    {"--threads", "CHARTLOCK_RELAY_THREADS", false,
     [](Config& c, const std::string& v, const std::string& name) {
       c.threads = static_cast<std::size_t>(parse_int(v, name, 1, 256));
     }},
    {"--max-bundle-bytes", "CHARTLOCK_RELAY_MAX_BUNDLE_BYTES", false,
     [](Config& c, const std::string& v, const std::string& name) {
       try {
         c.max_bundle_bytes = parse_size(v);
       } catch (const ConfigError& e) {
         bad(name, e.what());
       }
       // The smallest bundle is 269 bytes; both databases cap a value at 1 GB.
       if (c.max_bundle_bytes < 1024 || c.max_bundle_bytes > (std::size_t{512} << 20)) {
         bad(name, "must be 1KiB..512MiB");
       }
     }},
    {"--allowed-origin", "CHARTLOCK_RELAY_ALLOWED_ORIGINS", true, set_origin},
    {"--trusted-proxy", "CHARTLOCK_RELAY_TRUSTED_PROXIES", true, set_proxy},
    {"--public-url", "CHARTLOCK_RELAY_PUBLIC_URL", false, set_public_url},
    {"--skew", "CHARTLOCK_RELAY_SKEW", false,
     [](Config& c, const std::string& v, const std::string& name) { c.skew_seconds = parse_int(v, name, 1, 3600); }},
    {"--max-grant-days", "CHARTLOCK_RELAY_MAX_GRANT_DAYS", false,
     [](Config& c, const std::string& v, const std::string& name) { c.max_grant_days = parse_int(v, name, 1, 3650); }},
    {"--tombstone-days", "CHARTLOCK_RELAY_TOMBSTONE_DAYS", false,
     [](Config& c, const std::string& v, const std::string& name) { c.tombstone_days = parse_int(v, name, 0, 3650); }},
    {"--max-grants-per-key", "CHARTLOCK_RELAY_MAX_GRANTS_PER_KEY", false,
     [](Config& c, const std::string& v, const std::string& name) {
       c.max_grants_per_key = static_cast<std::size_t>(parse_int(v, name, 1, 1'000'000));
     }},
    {"--max-bytes-per-key", "CHARTLOCK_RELAY_MAX_BYTES_PER_KEY", false,
     [](Config& c, const std::string& v, const std::string& name) { set_quota(c.max_bytes_per_key, v, name); }},
    {"--max-bytes-per-address", "CHARTLOCK_RELAY_MAX_BYTES_PER_ADDRESS", false,
     [](Config& c, const std::string& v, const std::string& name) { set_quota(c.max_bytes_per_address, v, name); }},
    {"--max-stored-bytes", "CHARTLOCK_RELAY_MAX_STORED_BYTES", false,
     [](Config& c, const std::string& v, const std::string& name) { set_quota(c.max_stored_bytes, v, name); }},
    {"--key-rate", "CHARTLOCK_RELAY_KEY_RATE", false,
     [](Config& c, const std::string& v, const std::string& name) { set_rate(c.key_rate.per_minute, v, name); }},
    {"--key-burst", "CHARTLOCK_RELAY_KEY_BURST", false,
     [](Config& c, const std::string& v, const std::string& name) { set_rate(c.key_rate.burst, v, name); }},
    {"--address-rate", "CHARTLOCK_RELAY_ADDRESS_RATE", false,
     [](Config& c, const std::string& v, const std::string& name) { set_rate(c.address_rate.per_minute, v, name); }},
    {"--address-burst", "CHARTLOCK_RELAY_ADDRESS_BURST", false,
     [](Config& c, const std::string& v, const std::string& name) { set_rate(c.address_rate.burst, v, name); }},
    {"--purge-interval", "CHARTLOCK_RELAY_PURGE_INTERVAL", false,
     [](Config& c, const std::string& v, const std::string& name) {
       c.purge_interval_seconds = parse_int(v, name, 1, 86400);
     }},
};

const Option* find_option(const std::string& flag) {
  for (const Option& o : kOptions) {
    if (flag == o.flag) return &o;
  }
  return nullptr;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

}  // namespace

const char* config_usage() { return kUsage; }

std::size_t parse_size(const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 12) throw ConfigError("expected a size such as 16MiB");
  std::string unit = text.substr(digits);
  std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return std::tolower(c); });
  std::size_t shift = 0;
  if (unit.empty() || unit == "b") shift = 0;
  else if (unit == "k" || unit == "kib") shift = 10;
  else if (unit == "m" || unit == "mib") shift = 20;
  else if (unit == "g" || unit == "gib") shift = 30;
  else throw ConfigError("unknown size unit (use K, M or G: binary multiples)");
  const std::uint64_t n = std::stoull(text.substr(0, digits));
  if (n > (std::numeric_limits<std::size_t>::max() >> shift)) throw ConfigError("size too large");
  return static_cast<std::size_t>(n << shift);
}

Config parse_config(const std::vector<std::string>& args, const EnvLookup& env) {
  Config c;
  // Flags first, remembered by option, so that each option is applied once:
  // from its flags if any, else from its variable.
  std::vector<std::pair<const Option*, std::string>> given;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> value;
    if (flag == "--help" || flag == "-h") {
      c.help = true;
      continue;
    }
    if (flag == "--version") {
      c.version = true;
      continue;
    }
    if (const auto eq = flag.find('='); eq != std::string::npos && flag.rfind("--", 0) == 0) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    const Option* o = find_option(flag);
    if (!o) throw ConfigError(flag.rfind("-", 0) == 0 ? "unknown option " + flag : "unexpected argument " + flag);
    if (!value) {
      if (i + 1 >= args.size()) throw ConfigError(flag + ": needs a value");
      value = args[++i];
    }
    const bool repeated = std::any_of(given.begin(), given.end(), [&](const auto& g) { return g.first == o; });
    if (repeated && !o->repeatable) throw ConfigError(flag + ": given twice");
    given.emplace_back(o, *value);
  }
  for (const Option& o : kOptions) {
    bool from_flag = false;
    for (const auto& [opt, value] : given) {
      if (opt != &o) continue;
      o.set(c, value, o.flag);
      from_flag = true;
    }
    if (from_flag) continue;
    const std::optional<std::string> value = env(o.env);
    if (!value) continue;
    if (o.repeatable) {
      for (const std::string& item : split_commas(*value)) o.set(c, item, o.env);
    } else {
      o.set(c, *value, o.env);
    }
  }
  return c;
}

}  // namespace chartlock::relay
