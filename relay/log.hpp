// SPDX-License-Identifier: Apache-2.0
// Structured logs: one JSON object per line on stderr. Request lines carry
// method, route template, status, error code, body sizes, latency and a
// short hash of the grant id: never bodies, keys, signatures, ids, client
// addresses, query strings or database URLs.
#pragma once

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace chartlock::relay {

struct RequestLog {
  std::string method;
  std::string route;  // a template: "/v1/grants/:id/bundle"
  int status = 0;
  std::string error;  // the error code, if any
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  double ms = 0;
  std::string grant;  // grant_log_hash(), if the request named a valid id
};

class Logger {
 public:
  explicit Logger(std::FILE* out = stderr) : out_(out) {}

  void request(const RequestLog& entry);
  // {"time":…, "event": name, …fields}
  void event(const std::string& name, const nlohmann::ordered_json& fields = nlohmann::ordered_json::object());

 private:
  void write(const nlohmann::ordered_json& fields);

  std::FILE* out_;
  std::mutex mutex_;
};

// UTC, ISO 8601 with milliseconds: 2026-01-01T00:00:00.000Z
std::string log_time_now();

}  // namespace chartlock::relay
