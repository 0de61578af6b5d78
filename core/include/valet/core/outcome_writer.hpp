#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "valet/ports/job_queue.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/logger.hpp"

namespace valet::core {

// Stores the outcomes of finished jobs in batches. A worker hands over its job's last status
// change and goes on to the next job; one thread writes whatever has gathered meanwhile with one
// TransitionJobs() call, then acks the jobs' deliveries with one AckBatch(). Under load a batch
// holds the jobs that finished during the previous write, so the repository and the queue see a
// round trip per batch rather than one per job; a lone outcome is written at once.
//
// A delivery is acked only after its job's outcome was written (or found already decided by
// someone else). While the repository cannot be reached a batch is tried again with backoff a
// few times; after that its jobs stay IN_PROGRESS under leases nobody renews, and the recovery
// of lost leases runs them again. Safe to call from any thread.
class OutcomeWriter {
 public:
  struct Outcome {
    JobTransition change;
    // Acked once the change is written.
    std::optional<Delivery> delivery;
    // Called on the writer's thread after the write, with whether the change was applied.
    std::function<void(bool applied)> then;
  };

  OutcomeWriter(JobRepository& repository, JobQueue& queue, Logger& logger,
                std::size_t max_batch = 512);
  ~OutcomeWriter();
  OutcomeWriter(const OutcomeWriter&) = delete;
  OutcomeWriter& operator=(const OutcomeWriter&) = delete;

  void Start();
  // Writes what was handed over, then stops the thread. Outcomes handed over afterwards are
  // written at once on the caller's thread.
  void Stop();

  void Write(Outcome outcome);

 private:
  void Loop();
  // Writes one batch: the changes, the callbacks, then the acks.
  void Flush(std::vector<Outcome>& batch);
  Result<std::vector<bool>> TransitionWithRetries(const std::vector<JobTransition>& changes);

  JobRepository& repository_;
  JobQueue& queue_;
  Logger& logger_;
  const std::size_t max_batch_;

  std::mutex mutex_;
  std::condition_variable pending_or_stopping_;
  std::vector<Outcome> pending_;
  bool running_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace valet::core
