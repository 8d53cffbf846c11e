// SPDX-License-Identifier: Apache-2.0
// The protocol layer's view of a request and its answer, free of any HTTP
// library, and the error every refusal becomes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/bytes.hpp"

namespace chartlock::relay {

struct ApiRequest {
  std::string_view method;  // "GET", "PUT"…
  std::string_view target;  // as sent: path and query, still percent-encoded
  std::optional<std::string_view> authorization;
  crypto::ByteView body;
  std::string_view host;  // the Host header, for URLs the relay hands out
  // The client's address prefix (address_prefix() in rate_limit.hpp): what
  // the per-address storage quota counts against.
  std::string client_prefix;
};

struct ApiResponse {
  int status = 200;
  std::string content_type;  // empty: no body
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string error;                        // the error code, for logs and metrics
  std::optional<crypto::GrantId> grant;     // for the log's grant hash
};

// A refusal: status, a stable code (docs/relay-protocol.md, "Errors") and a
// message for people. Messages never contain keys, signatures or bodies.
struct ApiError {
  int status;
  std::string code;
  std::string message;
  std::int64_t retry_after = 0;  // seconds, for 429 (0: no Retry-After)
};

// Thrown inside the protocol layer; the layer's entry points turn it into
// an ApiResponse with error_response().
struct ApiFailure {
  ApiError error;
};

[[noreturn]] inline void fail(int status, std::string code, std::string message, std::int64_t retry_after = 0) {
  throw ApiFailure{ApiError{status, std::move(code), std::move(message), retry_after}};
}

// {"error": code, "message": message} with Retry-After when set.
ApiResponse error_response(const ApiError& error);

// A JSON answer.
inline ApiResponse json_answer(int status, std::string body) {
  ApiResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

// What a protocol entry point returns: the body's answer, or its refusal.
template <class F>
ApiResponse answer(F&& body) {
  try {
    return body();
  } catch (const ApiFailure& f) {
    return error_response(f.error);
  }
}

}  // namespace chartlock::relay
