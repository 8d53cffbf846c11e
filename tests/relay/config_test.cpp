// SPDX-License-Identifier: Apache-2.0
// Flags and environment variables (config.hpp).
#include <map>

#include "config.hpp"
#include "support.hpp"

using namespace chartlock::relay;

namespace {

Config parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return parse_config(args, [&](const std::string& name) -> std::optional<std::string> {
    const auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
}

std::string error_of(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  try {
    parse(std::move(args), std::move(env));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "ok";
}

}  // namespace

TEST_CASE("config: defaults", "[config]") {
  const Config c = parse({});
  CHECK(c.host == "127.0.0.1");
  CHECK(c.port == 8787);
  CHECK(c.db == "chartlock-relay.db");
  CHECK(c.max_bundle_bytes == 16u << 20);
  CHECK(c.skew_seconds == 300);
  CHECK(c.allowed_origins.empty());
  CHECK(c.key_rate.per_minute == 120);
  CHECK(c.max_bytes_per_key == std::uint64_t{64} << 20);
  CHECK(c.max_bytes_per_address == std::uint64_t{256} << 20);
  CHECK(c.max_stored_bytes == std::uint64_t{10} << 30);
  CHECK_FALSE(c.help);
}

TEST_CASE("config: storage quotas", "[config]") {
  const Config c = parse({"--max-bytes-per-key", "1M", "--max-bytes-per-address=0"},
                         {{"CHARTLOCK_RELAY_MAX_STORED_BYTES", "100G"}});
  CHECK(c.max_bytes_per_key == 1u << 20);
  CHECK(c.max_bytes_per_address == 0);
  CHECK(c.max_stored_bytes == std::uint64_t{100} << 30);
  CHECK_THAT(error_of({"--max-stored-bytes", "lots"}), Catch::Contains("--max-stored-bytes"));
  CHECK_THAT(config_usage(), Catch::Contains("--max-bytes-per-address"));
}

TEST_CASE("config: flags, --flag=value, and the environment as a fallback", "[config]") {
  const Config c = parse({"--listen", "0.0.0.0:9000", "--db=postgres://relay@db/relay", "--max-bundle-bytes", "2MiB",
                          "--allowed-origin", "https://a.example", "--allowed-origin=http://localhost:5173",
                          "--skew", "60", "--threads", "4"},
                         {{"CHARTLOCK_RELAY_SKEW", "900"}, {"CHARTLOCK_RELAY_TOMBSTONE_DAYS", "7"},
                          {"CHARTLOCK_RELAY_ALLOWED_ORIGINS", "https://ignored.example"}});
  CHECK(c.host == "0.0.0.0");
  CHECK(c.port == 9000);
  CHECK(c.db == "postgres://relay@db/relay");
  CHECK(c.max_bundle_bytes == 2u << 20);
  CHECK(c.allowed_origins == std::vector<std::string>{"https://a.example", "http://localhost:5173"});
  CHECK(c.skew_seconds == 60);  // the flag wins
  CHECK(c.tombstone_days == 7);
  CHECK(c.threads == 4);

  const Config e = parse({}, {{"CHARTLOCK_RELAY_ALLOWED_ORIGINS", "https://a.example, https://b.example"},
                              {"CHARTLOCK_RELAY_LISTEN", "[::1]:0"}});
  CHECK(e.allowed_origins == std::vector<std::string>{"https://a.example", "https://b.example"});
  CHECK(e.host == "::1");
  CHECK(e.port == 0);
  CHECK(parse({"--help"}).help);
  CHECK(parse({"--version"}).version);
}

TEST_CASE("config: bad values name the flag or variable", "[config]") {
  CHECK(error_of({"--bogus"}) == "unknown option --bogus");
  CHECK(error_of({"stray"}) == "unexpected argument stray");
  CHECK(error_of({"--db"}) == "--db: needs a value");
  CHECK(error_of({"--db", "a", "--db", "b"}) == "--db: given twice");
  CHECK_THAT(error_of({"--listen", "8787"}), Catch::StartsWith("--listen:"));
  CHECK_THAT(error_of({"--listen", "host:99999"}), Catch::StartsWith("--listen: must be 0..65535"));
  CHECK_THAT(error_of({"--max-bundle-bytes", "16 parsecs"}), Catch::StartsWith("--max-bundle-bytes:"));
  CHECK_THAT(error_of({"--max-bundle-bytes", "2G"}), Catch::StartsWith("--max-bundle-bytes: must be"));
  CHECK_THAT(error_of({"--skew", "-5"}), Catch::StartsWith("--skew: expected a whole number"));
  CHECK_THAT(error_of({"--threads", "0"}), Catch::StartsWith("--threads: must be 1..256"));
  for (const char* origin : {"widget.example", "https://widget.example/", "https://*.example", "https://a.example/path", "https://"}) {
    CAPTURE(origin);
    CHECK_THAT(error_of({"--allowed-origin", origin}), Catch::StartsWith("--allowed-origin:"));
  }
  CHECK_THAT(error_of({}, {{"CHARTLOCK_RELAY_THREADS", "many"}}), Catch::StartsWith("CHARTLOCK_RELAY_THREADS:"));
}

TEST_CASE("config: sizes", "[config]") {
  CHECK(parse_size("1024") == 1024);
  CHECK(parse_size("64K") == 64u << 10);
  CHECK(parse_size("64KiB") == 64u << 10);
  CHECK(parse_size("16mib") == 16u << 20);
  CHECK(parse_size("1G") == 1u << 30);
  CHECK_THROWS_AS(parse_size(""), ConfigError);
  CHECK_THROWS_AS(parse_size("MiB"), ConfigError);
  CHECK_THROWS_AS(parse_size("12 MiB"), ConfigError);
  CHECK_THROWS_AS(parse_size("1T"), ConfigError);
}

TEST_CASE("config: --public-url, the origin of SMART Health Link file locations", "[config][shl]") {
  CHECK(parse({}).public_url.empty());
  CHECK(parse({"--public-url", "https://relay.example"}).public_url == "https://relay.example");
  CHECK(parse({}, {{"CHARTLOCK_RELAY_PUBLIC_URL", "https://relay.example:8443"}}).public_url ==
        "https://relay.example:8443");
  CHECK(parse({"--public-url", "https://relay.example"}).allowed_origins.empty());  // not an allowed origin
  for (const char* url : {"relay.example", "https://relay.example/", "https://relay.example/v1"}) {
    CAPTURE(url);
    CHECK_THAT(error_of({"--public-url", url}), Catch::StartsWith("--public-url:"));
  }
}
