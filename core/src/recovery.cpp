#include "valet/core/recovery.hpp"

#include <algorithm>

#include "valet/core/attempts.hpp"
#include "valet/core/pipeline_failure.hpp"

namespace valet::core {

namespace {

constexpr const char* kLostReason =
    "the worker running this attempt stopped renewing its lease (its process died or stalled)";

}  // namespace

Recovery::Recovery(JobRepository& repository, JobQueue& queue, Clock& clock, Logger& logger,
                   RecoveryOptions options, std::function<void(TimePoint)> on_due)
    : repository_(repository),
      queue_(queue),
      clock_(clock),
      logger_(logger),
      options_(options),
      on_due_(std::move(on_due)) {}

Recovery::~Recovery() { Stop(); }

void Recovery::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Recovery::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int Recovery::RecoverLostJobs() {
  TimePoint now = clock_.Now();
  auto expired = repository_.ListExpiredLeases(now, kBatch);
  if (!expired.ok()) {
    logger_.Log(LogLevel::kWarning, "recovery", "cannot look for lost jobs",
                {{"error", expired.status().message()}});
    return 0;
  }
  int moved = 0;
  for (const Job& job : *expired) {
    Json attempts = WithAttempt(job, now, kLostReason, /*lost=*/true);
    bool gives_up = LostAttempts(attempts) >= options_.max_lost_attempts;
    Transition transition{JobStatus::kInProgress,
                          gives_up ? JobStatus::kFailed : JobStatus::kPending, now, kLostReason,
                          std::nullopt};
    if (gives_up) {
      transition.result = JobResult{job.id, nullptr, kLostReason};
    } else {
      transition.run_at = now;
    }
    transition.lease_token = job.lease_token;  // a renewal that won the race keeps the job
    transition.attempts = std::move(attempts);
    if (!repository_.TransitionJob(job.id, transition).ok()) continue;
    ++moved;
    logger_.Log(
        LogLevel::kWarning, "recovery",
        gives_up ? "job lost its worker too often; failed" : "job lost its worker; requeued",
        {{"job_id", job.id}, {"attempt", std::to_string(job.attempt)}});
    if (gives_up && job.BelongsToPipeline()) FailPipelineAfter(repository_, job, now);
  }
  if (moved > 0 && on_due_) on_due_(now);
  return moved;
}

bool Recovery::Push(const std::string& id) {
  Status pushed = queue_.Push(id);
  if (pushed.ok()) return true;
  logger_.Log(LogLevel::kWarning, "recovery", "cannot queue a stranded job yet",
              {{"job_id", id}, {"error", pushed.message()}});
  std::lock_guard lock(mutex_);
  unqueued_.push_back(id);
  return false;
}

int Recovery::RequeueStranded(TimePoint queued_before) {
  int pushed = 0;
  std::deque<std::string> waiting;
  {
    std::lock_guard lock(mutex_);
    waiting.swap(unqueued_);
  }
  while (!waiting.empty()) {
    std::string id = std::move(waiting.front());
    waiting.pop_front();
    if (!Push(id)) {
      std::lock_guard lock(mutex_);
      for (auto& rest : waiting) unqueued_.push_back(std::move(rest));
      return pushed;
    }
    ++pushed;
  }
  while (true) {
    auto claimed = repository_.ClaimStrandedJobs(queued_before, clock_.Now(), kBatch);
    if (!claimed.ok()) {
      logger_.Log(LogLevel::kWarning, "recovery", "cannot look for stranded jobs",
                  {{"error", claimed.status().message()}});
      return pushed;
    }
    for (std::size_t i = 0; i < claimed->size(); ++i) {
      if (Push((*claimed)[i].id)) {
        ++pushed;
        continue;
      }
      std::lock_guard lock(mutex_);  // the queue is full: keep the rest for the next pass
      for (std::size_t j = i + 1; j < claimed->size(); ++j) unqueued_.push_back((*claimed)[j].id);
      return pushed;
    }
    if (claimed->size() < kBatch) return pushed;
  }
}

void Recovery::Loop() {
  auto interval = std::clamp(options_.lease / 4, std::chrono::milliseconds{10},
                             std::chrono::milliseconds{15'000});
  auto stranded_interval = std::max(options_.requeue_stranded_after / 2, interval);
  // With a queue in process memory, nothing queued by an earlier process survived: every job
  // that should be queued and was stored before now is pushed again.
  bool sweep_all = !queue_.IsDurable();
  TimePoint started = clock_.Now();
  auto next_stranded = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    bool retry_pushes = !unqueued_.empty();
    lock.unlock();
    RecoverLostJobs();
    if (sweep_all) {
      // Until it has all been pushed (the queue may be full), then only what a push refused.
      RequeueStranded(started);
    } else if (retry_pushes ||
               (queue_.IsDurable() && std::chrono::steady_clock::now() >= next_stranded)) {
      RequeueStranded(clock_.Now() - std::chrono::duration_cast<std::chrono::microseconds>(
                                         options_.requeue_stranded_after));
      next_stranded = std::chrono::steady_clock::now() + stranded_interval;
    }
    lock.lock();
    if (sweep_all && unqueued_.empty()) sweep_all = false;
    auto wait = unqueued_.empty() ? interval : std::min(interval, std::chrono::milliseconds{100});
    changed_.wait_for(lock, wait, [this] { return stopping_; });
  }
}

}  // namespace valet::core
