#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "pg_connection.hpp"

namespace valet::adapters::postgres {

struct PoolOptions {
  int max_open = 8;
  int max_idle = 8;
  std::chrono::milliseconds max_lifetime{3000};  // valet's connection_max_lifetime
  std::chrono::milliseconds acquire_timeout{5000};
};

// A bounded pool of connections. A connection found broken is dropped, so after a server restart
// the next Acquire() connects anew: reconnection needs no code of its own. Thread-safe.
class PgPool {
 public:
  class Lease {
   public:
    Lease(PgPool& pool, std::unique_ptr<PgConnection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ && connection_) pool_->Release(std::move(connection_));
    }
    PgConnection* operator->() { return connection_.get(); }
    PgConnection& operator*() { return *connection_; }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConnection> connection_;
  };

  PgPool(std::string conninfo, std::string schema, PoolOptions options)
      : conninfo_(std::move(conninfo)), schema_(std::move(schema)), options_(options) {}

  // kUnavailable when the server cannot be reached or no connection frees up in time.
  Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<PgConnection> connection);

  const std::string conninfo_;
  const std::string schema_;
  const PoolOptions options_;
  std::mutex mutex_;
  std::condition_variable released_;
  std::deque<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;
};

}  // namespace valet::adapters::postgres
