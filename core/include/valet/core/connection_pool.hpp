#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "valet/ports/status.hpp"

namespace valet::core {

struct ConnectionPoolOptions {
  int max_open = 8;
  int max_idle = 8;
  std::chrono::milliseconds max_lifetime{3000};  // valet's connection_max_lifetime
  std::chrono::milliseconds acquire_timeout{5000};
};

// A bounded pool of database connections, for any driver whose Connection offers
//   bool broken() const;                       // the connection failed and cannot be reused
//   bool StillAlive();                         // a cheap check of an idle connection
//   std::chrono::steady_clock::time_point opened_at() const;
// A connection found broken or dead is dropped, so after a server restart the next Acquire()
// connects anew: reconnection needs no code of its own. Thread-safe.
template <typename Connection>
class ConnectionPool {
 public:
  using Opener = std::function<Result<std::unique_ptr<Connection>>()>;

  // Hands the connection back to the pool when it goes.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ && connection_) pool_->Release(std::move(connection_));
    }
    Connection* operator->() { return connection_.get(); }
    Connection& operator*() { return *connection_; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // `name` ("postgres") prefixes the pool's own errors.
  ConnectionPool(ConnectionPoolOptions options, std::string name, Opener open)
      : options_(options), name_(std::move(name)), open_connection_(std::move(open)) {}

  // kUnavailable when the server cannot be reached or no connection frees up in time.
  Result<Lease> Acquire() {
    std::unique_lock lock(mutex_);
    auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
    while (true) {
      while (!idle_.empty()) {
        std::unique_ptr<Connection> connection = std::move(idle_.front());
        idle_.pop_front();
        bool expired =
            options_.max_lifetime.count() > 0 &&
            std::chrono::steady_clock::now() - connection->opened_at() > options_.max_lifetime;
        if (!expired && connection->StillAlive()) return Lease(*this, std::move(connection));
        --open_;
        lock.unlock();
        connection.reset();  // closing can block on the network: not under the lock
        lock.lock();
      }
      if (open_ < options_.max_open) {
        ++open_;
        lock.unlock();
        auto opened = open_connection_();
        if (!opened.ok()) {
          std::lock_guard relock(mutex_);
          --open_;
          released_.notify_one();
          return opened.status();
        }
        return Lease(*this, std::move(*opened));
      }
      if (released_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= options_.max_open) {
        return Status::Unavailable(name_ + ": no connection free within the acquire timeout");
      }
    }
  }

 private:
  void Release(std::unique_ptr<Connection> connection) {
    {
      std::lock_guard lock(mutex_);
      if (!connection->broken() && static_cast<int>(idle_.size()) < options_.max_idle) {
        idle_.push_back(std::move(connection));
        released_.notify_one();
        return;
      }
      --open_;
      released_.notify_one();
    }
    connection.reset();
  }

  const ConnectionPoolOptions options_;
  const std::string name_;
  const Opener open_connection_;
  std::mutex mutex_;
  std::condition_variable released_;
  std::deque<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

}  // namespace valet::core
