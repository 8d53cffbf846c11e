// The tool side of the relay protocol (docs/relay-protocol.md §3.3): one
// signed GET of a grant's bundle, bounded in time and size, with every
// refusal turned into a ToolFailure that says what it means for the tool.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "chartlock/crypto/keys.hpp"

namespace chartlock::cli {

// A relay's base URL: http(s)://host[:port], nothing after the host but an
// optional "/". UsageError otherwise.
struct RelayUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // as given; an IPv6 address keeps its brackets
  int port = 0;

  std::string origin() const;  // scheme://host:port, for the HTTP client
  bool loopback() const;       // localhost, 127.0.0.0/8 or [::1]
};
RelayUrl parse_relay_url(const std::string& text);

struct FetchLimits {
  std::uint64_t max_bytes = std::uint64_t{16} << 20;  // the relay's default --max-bundle-bytes
  int timeout_seconds = 30;                           // to connect, and between reads
  std::optional<std::string> ca_file;                 // https: trust this CA file instead of the system's
};

// GET /v1/grants/{grant_hex}/bundle signed with `key`; the bundle bytes.
// ToolFailure: unreachable, 401, 403, 404 (unknown grant / no bundle), 410,
// 413 or an answer over max_bytes, 429, any other status.
std::string fetch_bundle(const RelayUrl& relay, const std::string& grant_hex, const crypto::SignKeyPair& key,
                         const FetchLimits& limits);

}  // namespace chartlock::cli
