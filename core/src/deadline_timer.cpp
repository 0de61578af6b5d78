#include "valet/core/deadline_timer.hpp"

#include <algorithm>

namespace valet::core {

namespace {
// The timer thread looks at least this often, so scheduling a deadline later than its next look
// (the usual case: most jobs never reach their timeout) needs no wake-up.
constexpr std::chrono::milliseconds kMaxSleep{500};
}  // namespace

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
  bool wake;
  {
    std::lock_guard lock(mutex_);
    handle = next_handle_++;
    wake = deadline < planned_wake_;
    deadlines_.emplace(deadline, handle);
    callbacks_.emplace(handle, std::make_pair(deadline, std::move(callback)));
  }
  if (wake) changed_.notify_all();
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
    auto now = std::chrono::steady_clock::now();
    if (deadlines_.empty() || now < deadlines_.begin()->first) {
      planned_wake_ = now + kMaxSleep;
      if (!deadlines_.empty()) planned_wake_ = std::min(planned_wake_, deadlines_.begin()->first);
      changed_.wait_until(lock, planned_wake_);
      continue;
    }
    auto [deadline, handle] = *deadlines_.begin();
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
