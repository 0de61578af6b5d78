#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "mysql_connection.hpp"

namespace valet::adapters::mysql {

struct PoolOptions {
  int max_open = 8;
  int max_idle = 8;
  std::chrono::milliseconds max_lifetime{3000};  // valet's connection_max_lifetime
  std::chrono::milliseconds acquire_timeout{5000};
};

// A bounded pool of connections. A connection found broken is dropped, so after a server restart
// the next Acquire() connects anew: reconnection needs no code of its own. Thread-safe.
class MysqlPool {
 public:
  class Lease {
   public:
    Lease(MysqlPool& pool, std::unique_ptr<MysqlConnection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ && connection_) pool_->Release(std::move(connection_));
    }
    MysqlConnection* operator->() { return connection_.get(); }
    MysqlConnection& operator*() { return *connection_; }

   private:
    MysqlPool* pool_;
    std::unique_ptr<MysqlConnection> connection_;
  };

  MysqlPool(MysqlEndpoint endpoint, std::string database, PoolOptions options)
      : endpoint_(std::move(endpoint)), database_(std::move(database)), options_(options) {}

  // kUnavailable when the server cannot be reached or no connection frees up in time.
  Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<MysqlConnection> connection);

  const MysqlEndpoint endpoint_;
  const std::string database_;
  const PoolOptions options_;
  std::mutex mutex_;
  std::condition_variable released_;
  std::deque<std::unique_ptr<MysqlConnection>> idle_;
  int open_ = 0;
};

}  // namespace valet::adapters::mysql
