// SPDX-License-Identifier: Apache-2.0
#include "log.hpp"

#include <chrono>
#include <cmath>
#include <ctime>

namespace chartlock::relay {

std::string log_time_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

void Logger::request(const RequestLog& e) {
  nlohmann::ordered_json line = {{"event", "request"}, {"method", e.method}, {"route", e.route},
                                 {"status", e.status}};
  if (!e.error.empty()) line["error"] = e.error;
  line["in"] = e.bytes_in;
  line["out"] = e.bytes_out;
  line["ms"] = std::round(e.ms * 100) / 100;
  if (!e.grant.empty()) line["grant"] = e.grant;
  write(line);
}

void Logger::event(const std::string& name, const nlohmann::ordered_json& fields) {
  nlohmann::ordered_json line = {{"event", name}};
  if (fields.is_object()) line.update(fields);
  write(line);
}

void Logger::write(const nlohmann::ordered_json& fields) {
  nlohmann::ordered_json line = {{"time", log_time_now()}};
  line.update(fields);
  std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  text += '\n';
  std::lock_guard<std::mutex> lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace chartlock::relay
