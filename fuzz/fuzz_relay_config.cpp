// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the relay's configuration (relay/config.cpp): command-line
// flags and their environment variables, as an operator (or a deployment
// script, or a container's environment) gives them.
//
// The input is split at NUL bytes; up to the first empty piece, each piece is
// an argument; after it, each piece "NAME=value" is an environment variable.
//
// Oracles: parse_config either returns or throws ConfigError (anything else
// escaping is a crash: main would not say which flag is wrong); what it
// returns keeps the bounds the flags state; parse_size on any piece either
// returns or throws ConfigError.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chartlock::relay;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t nul = text.find('\0', start);
    pieces.push_back(text.substr(start, nul == std::string::npos ? std::string::npos : nul - start));
    if (nul == std::string::npos) break;
    start = nul + 1;
  }
  std::vector<std::string> args;
  std::map<std::string, std::string> env;
  bool in_env = false;
  for (const std::string& p : pieces) {
    if (!in_env && p.empty()) {
      in_env = true;
      continue;
    }
    if (!in_env) {
      args.push_back(p);
    } else if (const auto eq = p.find('='); eq != std::string::npos) {
      env[p.substr(0, eq)] = p.substr(eq + 1);
    }
  }
  const EnvLookup lookup = [&](const std::string& name) -> std::optional<std::string> {
    const auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  try {
    const Config c = parse_config(args, lookup);
    check(c.port >= 0 && c.port <= 65535);
    check(c.threads >= 1 && c.threads <= 256);
    check(c.max_bundle_bytes >= 1024 && c.max_bundle_bytes <= (std::size_t{512} << 20));
    check(!c.db.empty());
    check(c.skew_seconds >= 1 && c.skew_seconds <= 3600);
    check(c.max_grant_days >= 1 && c.max_grant_days <= 3650);
    check(c.purge_interval_seconds >= 1 && c.purge_interval_seconds <= 86400);
    for (const std::string& o : c.allowed_origins) check(o.rfind("http://", 0) == 0 || o.rfind("https://", 0) == 0);
    for (const std::string& p : c.trusted_proxies) check(!p.empty());
  } catch (const ConfigError&) {
    // A clear refusal, naming the flag: what main prints.
  }
  for (const std::string& p : pieces) {
    try {
      (void)parse_size(p);
    } catch (const ConfigError&) {
    }
  }
  return 0;
}
