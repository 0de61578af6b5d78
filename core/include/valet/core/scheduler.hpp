#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "valet/ports/clock.hpp"
#include "valet/ports/job_queue.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/logger.hpp"

namespace valet::core {

// Moves scheduled jobs (run_at) to the queue when they fall due. It sleeps until the earliest
// known due time, wakes early when Notify() reports an earlier one, and polls the repository at
// least every `polling_interval` to see jobs that other instances stored. Claims are atomic in
// the repository, so several instances never queue the same job twice.
class Scheduler {
 public:
  Scheduler(JobRepository& repository, JobQueue& queue, Clock& clock, Logger& logger,
            std::chrono::milliseconds polling_interval);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void Start();
  void Stop();

  // A job due at `run_at` was stored.
  void Notify(TimePoint run_at);

  // Claims every due job and queues it; returns the next known due time. Jobs that were claimed
  // but refused by a full queue are kept and pushed again on the next call.
  OptionalTime DispatchDueJobs();

 private:
  void Loop();

  static constexpr std::size_t kClaimBatch = 256;

  JobRepository& repository_;
  JobQueue& queue_;
  Clock& clock_;
  Logger& logger_;
  const std::chrono::milliseconds polling_interval_;

  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  TimePoint planned_wake_{};
  std::deque<std::string> unqueued_;  // claimed, waiting for room in the queue
  std::thread thread_;
};

}  // namespace valet::core
