// SPDX-License-Identifier: Apache-2.0
#include "purger.hpp"

namespace chartlock::relay {

Purger::Purger(Store& store, Metrics& metrics, Logger& log, std::chrono::seconds interval,
               std::function<void()> also)
    : store_(store), metrics_(metrics), log_(log), interval_(interval), also_(std::move(also)) {
  thread_ = std::thread([this] { loop(); });
}

Purger::~Purger() { stop(); }

void Purger::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Purger::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    round();
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

void Purger::round() {
  try {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    const PurgeCounts n = store_.purge_expired(static_cast<std::int64_t>(now));
    metrics_.purged(n);
    if (n.bundles || n.grants || n.nonces || n.shl_files || n.shl_links || n.sync_spaces) {
      log_.event("purge", {{"bundles", n.bundles}, {"grants", n.grants}, {"nonces", n.nonces},
                           {"shlFiles", n.shl_files}, {"shlLinks", n.shl_links}, {"syncSpaces", n.sync_spaces}});
    }
  } catch (const std::exception& e) {
    log_.event("purge-failed", {{"message", e.what()}});
  }
  if (also_) also_();
}

}  // namespace chartlock::relay
