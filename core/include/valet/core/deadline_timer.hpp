#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace valet::core {

// Runs callbacks at deadlines on one background thread. Deadlines are durations from now, so a
// steady clock (not the wall Clock) measures them. Safe to use from any thread.
class DeadlineTimer {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  using Callback = std::function<void()>;

  DeadlineTimer();
  ~DeadlineTimer();
  DeadlineTimer(const DeadlineTimer&) = delete;
  DeadlineTimer& operator=(const DeadlineTimer&) = delete;

  // Returns a handle for Cancel(). The callback must not call Cancel() on its own handle.
  std::uint64_t Schedule(SteadyTime deadline, Callback callback);

  // True if the callback was cancelled before it ran. False if it ran; if it is running right
  // now, waits until it has returned, so the caller sees everything it did.
  bool Cancel(std::uint64_t handle);

 private:
  void Loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::multimap<SteadyTime, std::uint64_t> deadlines_;
  std::map<std::uint64_t, std::pair<SteadyTime, Callback>> callbacks_;
  std::uint64_t next_handle_ = 1;
  std::uint64_t running_ = 0;
  SteadyTime planned_wake_{};  // when the timer thread will look next
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace valet::core
