#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "valet/ports/clock.hpp"
#include "valet/ports/job_queue.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/logger.hpp"

namespace valet::core {

struct RecoveryOptions {
  // The lease length of running jobs; lost leases are looked for every lease/4.
  std::chrono::milliseconds lease{30'000};
  // With a durable queue: a job that should be queued and has not started this long after it
  // was queued is queued again (it may have been lost between the store and the push).
  std::chrono::milliseconds requeue_stranded_after{std::chrono::minutes{5}};
  // A job whose worker vanished this many times fails instead of running again: a task that
  // kills its process must not take the fleet down with it for ever.
  int max_lost_attempts = 3;
};

// Finds the jobs that would otherwise never finish, in every process that runs one, with no
// leader: each step is a compare-and-set in the repository.
// - A running job whose lease ran out (its process died or stalled) goes back to PENDING, due
//   at once, with the lost attempt recorded; `on_due` tells the scheduler.
// - Jobs that should be in the queue but may not be are pushed again: with a queue in process
//   memory, once at start every job left unstarted by the previous process; with a durable
//   queue, jobs still unstarted `requeue_stranded_after` after they were queued.
class Recovery {
 public:
  Recovery(JobRepository& repository, JobQueue& queue, Clock& clock, Logger& logger,
           RecoveryOptions options, std::function<void(TimePoint)> on_due);
  ~Recovery();
  Recovery(const Recovery&) = delete;
  Recovery& operator=(const Recovery&) = delete;

  void Start();
  void Stop();

  // One pass over expired leases; returns how many jobs were moved on.
  int RecoverLostJobs();
  // Queues again the stranded jobs queued before `queued_before`; returns how many were pushed.
  int RequeueStranded(TimePoint queued_before);

 private:
  void Loop();
  bool Push(const std::string& id);

  static constexpr std::size_t kBatch = 256;

  JobRepository& repository_;
  JobQueue& queue_;
  Clock& clock_;
  Logger& logger_;
  const RecoveryOptions options_;
  std::function<void(TimePoint)> on_due_;

  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::deque<std::string> unqueued_;  // claimed, waiting for room in the queue
  std::thread thread_;
};

}  // namespace valet::core
