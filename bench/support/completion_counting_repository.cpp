#include "support/completion_counting_repository.hpp"

namespace valet::bench {

Status CompletionCountingRepository::TransitionJob(const std::string& id,
                                                   const Transition& transition) {
  Status status = inner_.TransitionJob(id, transition);
  if (status.ok() && transition.to == JobStatus::kCompleted &&
      completed_.fetch_add(1, std::memory_order_relaxed) + 1 ==
          expected_.load(std::memory_order_relaxed)) {
    // Only the last completion takes the lock, so the hot path stays one atomic add.
    auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    done_at_ = now;
    done_.notify_all();
  }
  return status;
}

void CompletionCountingRepository::ExpectMore(std::int64_t count) {
  std::lock_guard lock(mutex_);
  done_at_.reset();
  expected_.store(completed_.load() + count);
}

auto CompletionCountingRepository::WaitForAll(std::chrono::milliseconds timeout)
    -> std::optional<SteadyTime> {
  std::unique_lock lock(mutex_);
  done_.wait_for(lock, timeout, [this] { return done_at_.has_value(); });
  return done_at_;
}

}  // namespace valet::bench
