// SPDX-License-Identifier: Apache-2.0
#include "seal_options.hpp"

#include <algorithm>
#include <cstdint>
#include <ctime>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"

namespace chartlock::cli {

namespace {

crypto::GrantId parse_grant(const std::optional<std::string>& hex) {
  if (!hex) return crypto::grant_id_generate();
  crypto::GrantId id{};
  crypto::Bytes bytes;
  try {
    bytes = crypto::hex_decode(*hex);
  } catch (const crypto::Error&) {
    bytes.clear();
  }
  if (bytes.size() != id.size()) throw UsageError("--grant must be 32 hex digits");
  std::copy(bytes.begin(), bytes.end(), id.begin());
  return id;
}

}  // namespace

crypto::SealRequest seal_request_from(const Args& args) {
  const auto sequence = parse_integer("--seq", args.get("--seq").value_or("1"), 0, INT64_MAX);
  const auto days = parse_integer("--expires-in", args.get("--expires-in").value_or("30"), 1, 3650);
  const auto chunk_size = parse_integer("--chunk-size", args.get("--chunk-size").value_or("65536"), 1,
                                        static_cast<long long>(crypto::kMaxChunkSize));
  crypto::SealRequest request;
  request.meta.grant_id = parse_grant(args.get("--grant"));
  request.meta.sequence = static_cast<std::uint64_t>(sequence);
  request.meta.created_at = static_cast<std::int64_t>(std::time(nullptr));
  request.meta.expires_at = request.meta.created_at + days * 86400;
  request.chunk_size = static_cast<std::size_t>(chunk_size);
  return request;
}

}  // namespace chartlock::cli
