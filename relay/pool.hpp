// SPDX-License-Identifier: Apache-2.0
// A fixed set of database connections shared by the server's threads. A
// thread borrows one for the length of an operation and gives it back when
// the lease goes out of scope; when all are out, it waits.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace chartlock::relay {

template <class Conn>
class Pool {
 public:
  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Conn> conn) : pool_(&pool), conn_(std::move(conn)) {}
    ~Lease() {
      if (conn_) pool_->give_back(std::move(conn_));
    }
    Lease(Lease&& other) noexcept = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    Conn& operator*() const { return *conn_; }
    Conn* operator->() const { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Conn> conn_;
  };

  void add(std::unique_ptr<Conn> conn) {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(conn));
    ready_.notify_one();
  }

  Lease acquire() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return !idle_.empty(); });
    std::unique_ptr<Conn> conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(conn));
  }

 private:
  void give_back(std::unique_ptr<Conn> conn) {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(conn));
    ready_.notify_one();
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<std::unique_ptr<Conn>> idle_;
};

}  // namespace chartlock::relay
