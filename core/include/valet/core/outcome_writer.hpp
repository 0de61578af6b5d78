#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "valet/ports/job_queue.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/logger.hpp"

namespace valet::core {

// Stores the outcomes of finished jobs in batches, on the threads that hand them over: a worker
// whose outcome finds no write under way writes it at once, then keeps writing what other
// workers handed over meanwhile until none is left, each batch with one TransitionJobs() call
// followed by one AckBatch() of the jobs' deliveries; a worker whose outcome finds a write under
// way leaves it to that writer and goes on. So a lone outcome costs one round trip, as before,
// and under load a round trip stores every outcome that gathered during the previous one, with
// no thread of its own to switch to. Write() returns once the outcome is written or is sure to
// be (before the last writer returns, everything handed over is written).
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
    // Called on the writing thread after the write, with whether the change was applied.
    std::function<void(bool applied)> then;
  };

  OutcomeWriter(JobRepository& repository, JobQueue& queue, Logger& logger,
                std::size_t max_batch = 512);
  OutcomeWriter(const OutcomeWriter&) = delete;
  OutcomeWriter& operator=(const OutcomeWriter&) = delete;

  void Write(Outcome outcome);

 private:
  // Writes one batch: the changes, the callbacks, then the acks.
  void Flush(std::vector<Outcome>& batch);
  Result<std::vector<bool>> TransitionWithRetries(const std::vector<JobTransition>& changes);

  JobRepository& repository_;
  JobQueue& queue_;
  Logger& logger_;
  const std::size_t max_batch_;

  std::mutex mutex_;
  std::vector<Outcome> pending_;
  bool writing_ = false;  // a thread is in Flush(), and writes `pending_` before it leaves
};

}  // namespace valet::core
