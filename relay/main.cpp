// SPDX-License-Identifier: Apache-2.0
// chartlock-relay: stores share bundles (ciphertext only) under grants and
// hands them to the tool each grant names. See docs/relay-protocol.md.
//
// Exit status: 0 after a clean stop (SIGTERM/SIGINT), 1 when the database
// or the listening address is unusable, 2 for bad usage.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "chartlock/crypto/init.hpp"
#include "config.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "purger.hpp"
#include "server.hpp"
#include "service.hpp"
#include "store.hpp"

namespace {

using namespace chartlock::relay;

std::optional<std::string> from_environment(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

// SIGTERM and SIGINT are blocked in every thread and taken by one thread
// with sigwait, which can then stop the server safely (not from a handler).
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

int serve(const Config& config) {
  Logger log;
  std::unique_ptr<Store> store;
  try {
    store = open_store(config.db, config.threads + 2);  // + the purge timer and a scrape
  } catch (const StoreError& e) {
    log.event("start-failed", {{"message", e.what()}});
    return 1;
  }
  Metrics metrics;
  Service service(*store, config);
  Server server(config, *store, service, metrics, log);
  int port = 0;
  try {
    port = server.bind();
  } catch (const std::exception& e) {
    log.event("start-failed", {{"message", e.what()}});
    return 1;
  }

  const sigset_t signals = stop_signals();
  std::atomic<bool> stopping{false};
  std::thread signal_thread([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (stopping.exchange(true)) return;  // woken by serve() itself
    log.event("stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    server.stop();
  });

  Purger purger(*store, metrics, log, std::chrono::seconds(config.purge_interval_seconds),
                [&] {
                  server.sweep_rate_limits();
                  service.sweep_rate_limits();
                });
  log.event("listening", {{"host", config.host},
                          {"port", port},
                          {"version", CHARTLOCK_RELAY_VERSION},
                          {"backend", store->backend()},
                          {"schemaVersion", store->schema_version()},
                          {"threads", config.threads},
                          {"maxBundleBytes", config.max_bundle_bytes},
                          {"maxBytesPerKey", config.max_bytes_per_key},
                          {"maxBytesPerAddress", config.max_bytes_per_address},
                          {"maxStoredBytes", config.max_stored_bytes},
                          {"allowedOrigins", config.allowed_origins}});
  server.run();  // returns after stop(), once the requests in flight are answered

  // If run() returned on its own (the socket failed), wake the signal thread.
  const bool failed = !stopping.exchange(true);
  if (failed) {
    log.event("listen-failed");
    pthread_kill(signal_thread.native_handle(), SIGTERM);
  }
  signal_thread.join();
  purger.stop();
  log.event("stopped");
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  try {
    config = parse_config(std::vector<std::string>(argv + 1, argv + argc), from_environment);
  } catch (const ConfigError& e) {
    std::cerr << "chartlock-relay: " << e.what() << " (see 'chartlock-relay --help')\n";
    return 2;
  }
  if (config.help) {
    std::cout << config_usage();
    return 0;
  }
  if (config.version) {
    std::cout << "chartlock-relay " << CHARTLOCK_RELAY_VERSION << "\n";
    return 0;
  }
  try {
    chartlock::crypto::init();
  } catch (const std::runtime_error& e) {
    std::cerr << "chartlock-relay: " << e.what() << "\n";
    return 1;
  }
  // Before any thread starts, so that every thread inherits the mask.
  const sigset_t signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client gone mid-answer is an error return, not a kill
  return serve(config);
}
