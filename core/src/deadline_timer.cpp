#include "valet/core/deadline_timer.hpp"

namespace valet::core {

DeadlineTimer::DeadlineTimer() : thread_([this] { Loop(); }) {}

DeadlineTimer::~DeadlineTimer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

std::uint64_t DeadlineTimer::Schedule(SteadyTime deadline, Callback callback) {
  std::uint64_t handle;
  bool earliest;
  {
    std::lock_guard lock(mutex_);
    handle = next_handle_++;
    earliest = deadlines_.empty() || deadline < deadlines_.begin()->first;
    deadlines_.emplace(deadline, handle);
    callbacks_.emplace(handle, std::make_pair(deadline, std::move(callback)));
  }
  if (earliest) changed_.notify_all();
  return handle;
}

bool DeadlineTimer::Cancel(std::uint64_t handle) {
  std::unique_lock lock(mutex_);
  auto it = callbacks_.find(handle);
  if (it != callbacks_.end()) {
    auto [first, last] = deadlines_.equal_range(it->second.first);
    for (auto d = first; d != last; ++d) {
      if (d->second == handle) {
        deadlines_.erase(d);
        break;
      }
    }
    callbacks_.erase(it);
    return true;
  }
  changed_.wait(lock, [&] { return running_ != handle; });
  return false;
}

void DeadlineTimer::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (deadlines_.empty()) {
      changed_.wait(lock);
      continue;
    }
    auto [deadline, handle] = *deadlines_.begin();
    if (std::chrono::steady_clock::now() < deadline) {
      changed_.wait_until(lock, deadline);
      continue;
    }
    deadlines_.erase(deadlines_.begin());
    auto node = callbacks_.extract(handle);
    running_ = handle;
    lock.unlock();
    node.mapped().second();
    lock.lock();
    running_ = 0;
    changed_.notify_all();
  }
}

}  // namespace valet::core
