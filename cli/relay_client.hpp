// SPDX-License-Identifier: Apache-2.0
// The CLI's side of the relay protocol (docs/relay-protocol.md): the tool's
// signed GET of a grant's bundle (§3.3), bounded in time and size, with every
// refusal turned into a ToolFailure that says what it means for the tool; and
// the patient's signed SMART Health Link requests (§6).
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
  std::string base() const;    // scheme://host[:port], the port only when not the scheme's default
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

struct RelayReply {
  int status = 0;
  std::string body;
};

// One request signed with `key` (docs/relay-protocol.md §2); `content_type`
// for a body. IoError when the relay cannot be reached or answers more than
// limits.max_bytes.
RelayReply relay_send(const RelayUrl& relay, const std::string& method, const std::string& target,
                      const std::string& body, const std::string& content_type, const crypto::SignKeyPair& key,
                      const FetchLimits& limits = {});

// "the relay answered STATUS [relay: code, message]": a refusal as text that
// is safe to print (the relay is not trusted with the terminal).
std::string relay_refusal_text(int status, const std::string& body);

}  // namespace chartlock::cli
