#include "valet/core/ticker.hpp"

#include <algorithm>
#include <utility>

namespace valet::core {

void Ticker::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  // Declared schedules are there when Start() returns, unless their backend is down.
  DeclarePending();
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Ticker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopped_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Ticker::DeclarePending() {
  std::vector<DeclaredSchedule> still;
  for (DeclaredSchedule& declared : undeclared_) {
    auto stored = schedules_.Declare(declared.request, declared.origin);
    if (stored.ok()) continue;
    if (stored.status().code() == StatusCode::kUnavailable) {
      still.push_back(std::move(declared));
      continue;
    }
    logger_.Log(LogLevel::kError, "schedules", "a declared schedule cannot be stored",
                {{"schedule", declared.request.name},
                 {"origin", declared.origin},
                 {"error", stored.status().message()}});
  }
  undeclared_ = std::move(still);
}

void Ticker::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    if (!undeclared_.empty()) DeclarePending();
    OptionalTime next = schedules_.RunDueTicks(polling_interval_);
    bool groups_open = groups_.SettleFinished();
    TimePoint now = clock_.Now();
    lock.lock();
    auto delay = std::chrono::duration_cast<TimePoint::duration>(
        groups_open ? std::min(polling_interval_, kGroupPolling) : polling_interval_);
    if (next) delay = std::clamp(*next - now, TimePoint::duration{0}, delay);
    stopped_.wait_for(lock, delay, [this] { return stopping_; });
  }
}

}  // namespace valet::core
