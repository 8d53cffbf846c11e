// SPDX-License-Identifier: Apache-2.0
// The relay's HTTP server keeps listening: cpp-httplib closes its listening
// socket on an accept() error (a client resetting its connection before it is
// accepted: ECONNABORTED), and the relay listens again rather than stopping
// (found by fuzz/fuzz_relay_http.cpp).
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <thread>

#include <httplib.h>

#include "config.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "server.hpp"
#include "service.hpp"
#include "sqlite_store.hpp"

using namespace chartlock::relay;

namespace {

int health(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2, 0);
  const auto res = client.Get("/healthz");
  return res ? res->status : -1;
}

}  // namespace

TEST_CASE("the server listens again when its listening socket is closed under it", "[server]") {
  Config config;
  config.port = 0;
  config.threads = 2;
  SqliteStore store(":memory:", 1);
  Service service(store, config);
  Metrics metrics;
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Logger log(devnull);
  Server server(config, store, service, metrics, log);
  const int port = server.bind();
  std::thread thread([&] { server.run(); });
  REQUIRE(health(port) == 200);

  server.testing_drop_listener();  // as httplib does on ECONNABORTED
  int status = -1;
  for (int i = 0; i < 50 && status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = health(port);
  }
  CHECK(status == 200);  // before: connection refused, and run() had returned

  server.stop();
  thread.join();
  std::fclose(devnull);
}
