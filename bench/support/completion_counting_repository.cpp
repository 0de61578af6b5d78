#include "support/completion_counting_repository.hpp"

namespace valet::bench {

Status CompletionCountingRepository::TransitionJob(const std::string& id,
                                                   const Transition& transition) {
  Status status = inner_.TransitionJob(id, transition);
  if (status.ok() && transition.to == JobStatus::kCompleted) Count(1);
  return status;
}

Result<std::vector<bool>> CompletionCountingRepository::TransitionJobs(
    const std::vector<JobTransition>& changes) {
  auto applied = inner_.TransitionJobs(changes);
  if (!applied.ok()) return applied;
  std::int64_t completed = 0;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if ((*applied)[i] && changes[i].transition.to == JobStatus::kCompleted) ++completed;
  }
  if (completed > 0) Count(completed);
  return applied;
}

void CompletionCountingRepository::Count(std::int64_t count) {
  std::int64_t before = completed_.fetch_add(count, std::memory_order_relaxed);
  std::int64_t expected = expected_.load(std::memory_order_relaxed);
  if (before < expected && before + count >= expected) {
    // Only the last completion takes the lock, so the hot path stays one atomic add.
    auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    done_at_ = now;
    done_.notify_all();
  }
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
