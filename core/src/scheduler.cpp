#include "valet/core/scheduler.hpp"

#include <algorithm>

namespace valet::core {

namespace {
constexpr std::chrono::milliseconds kFullQueueRetry{20};
}  // namespace

Scheduler::Scheduler(JobRepository& repository, JobQueue& queue, Clock& clock, Logger& logger,
                     std::chrono::milliseconds polling_interval)
    : repository_(repository),
      queue_(queue),
      clock_(clock),
      logger_(logger),
      polling_interval_(std::max(polling_interval, std::chrono::milliseconds{1})) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::Notify(TimePoint run_at) {
  {
    std::lock_guard lock(mutex_);
    if (run_at >= planned_wake_) return;
    planned_wake_ = run_at;
  }
  changed_.notify_all();
}

OptionalTime Scheduler::DispatchDueJobs() {
  std::deque<std::string> pending;
  {
    std::lock_guard lock(mutex_);
    pending.swap(unqueued_);
  }
  bool queue_full = false;
  auto push = [&](std::string id) {
    if (!queue_full) {
      Status pushed = queue_.Push(id);
      if (pushed.ok()) return;
      queue_full = true;
      logger_.Log(LogLevel::kWarning, "scheduler", "cannot queue a due job yet",
                  {{"job_id", id}, {"error", pushed.message()}});
    }
    std::lock_guard lock(mutex_);
    unqueued_.push_back(std::move(id));
  };
  for (auto& id : pending) push(std::move(id));

  while (!queue_full) {
    auto claimed = repository_.ClaimDueJobs(clock_.Now(), kClaimBatch);
    if (!claimed.ok()) {
      logger_.Log(LogLevel::kWarning, "scheduler", "cannot claim due jobs",
                  {{"error", claimed.status().message()}});
      break;
    }
    for (auto& job : *claimed) push(std::move(job.id));
    if (claimed->size() < kClaimBatch) break;
  }

  auto next = repository_.NextDueTime();
  return next.ok() ? *next : std::nullopt;
}

void Scheduler::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // While dispatching, any Notify() lowers planned_wake_ from "never", so a job stored during
    // the claim below is not slept through.
    planned_wake_ = TimePoint::max();
    lock.unlock();
    OptionalTime next_due = DispatchDueJobs();
    TimePoint now = clock_.Now();
    lock.lock();

    auto delay = std::chrono::duration_cast<std::chrono::microseconds>(polling_interval_);
    if (next_due) delay = std::min(delay, std::max(*next_due - now, decltype(delay){0}));
    if (!unqueued_.empty()) delay = std::min<decltype(delay)>(delay, kFullQueueRetry);
    planned_wake_ = std::min(planned_wake_, now + delay);
    while (!stopping_) {
      auto remaining = planned_wake_ - clock_.Now();
      if (remaining <= decltype(remaining){0}) break;
      TimePoint planned = planned_wake_;
      changed_.wait_for(lock, remaining, [&] { return stopping_ || planned_wake_ != planned; });
    }
  }
}

}  // namespace valet::core
