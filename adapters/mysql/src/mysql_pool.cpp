#include "mysql_pool.hpp"

namespace valet::adapters::mysql {

Result<MysqlPool::Lease> MysqlPool::Acquire() {
  std::unique_lock lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  while (true) {
    while (!idle_.empty()) {
      std::unique_ptr<MysqlConnection> connection = std::move(idle_.front());
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
      auto opened = MysqlConnection::Open(endpoint_, database_);
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
      return Status::Unavailable("mysql: no connection free within the acquire timeout");
    }
  }
}

void MysqlPool::Release(std::unique_ptr<MysqlConnection> connection) {
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

}  // namespace valet::adapters::mysql
