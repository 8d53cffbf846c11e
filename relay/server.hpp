// SPDX-License-Identifier: Apache-2.0
// The HTTP side of the relay on cpp-httplib: routes to the Service, reads
// bodies within their limits, per-address rate limits, CORS, the health and
// metrics endpoints, one log line and one metrics sample per request, and
// graceful stop. httplib stays inside server.cpp.
#pragma once

#include <memory>

#include "config.hpp"
#include "cors.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "rate_limit.hpp"
#include "service.hpp"
#include "store.hpp"

namespace chartlock::relay {

class Server {
 public:
  Server(const Config& config, Store& store, Service& service, Metrics& metrics, Logger& log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port (the chosen one for port 0).
  // Throws std::runtime_error when the address cannot be bound.
  int bind();
  // Serves until stop(); returns once the requests in flight are answered.
  void run();
  // From any thread, also before run() starts: stop accepting and let run()
  // return (at once, if it has not started).
  void stop();
  // Forgets idle per-address buckets (the purge timer calls it).
  void sweep_rate_limits();
  // Tests only: closes the listening socket as cpp-httplib does on an accept()
  // error, without a stop — run() must listen again.
  void testing_drop_listener();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chartlock::relay
