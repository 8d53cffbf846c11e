// SPDX-License-Identifier: Apache-2.0
// The purge timer: every interval (and once at start) deletes expired
// bundles, grant rows past their tombstone time and stale nonces, then runs
// `also` (the rate limiters' sweep). Errors are logged, not fatal: the next
// round tries again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "log.hpp"
#include "metrics.hpp"
#include "store.hpp"

namespace chartlock::relay {

class Purger {
 public:
  Purger(Store& store, Metrics& metrics, Logger& log, std::chrono::seconds interval,
         std::function<void()> also = {});
  ~Purger();
  Purger(const Purger&) = delete;
  Purger& operator=(const Purger&) = delete;

  // Stops the timer and waits for a round in progress.
  void stop();

 private:
  void loop();
  void round();

  Store& store_;
  Metrics& metrics_;
  Logger& log_;
  std::chrono::seconds interval_;
  std::function<void()> also_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace chartlock::relay
