#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <thread>

#include "valet/core/job_executor.hpp"
#include "valet/core/outcome_writer.hpp"
#include "valet/ports/job_queue.hpp"
#include "valet/ports/logger.hpp"

namespace valet::core {

// `workers` threads that run jobs, fed by one fetcher thread and emptied by an OutcomeWriter.
// The fetcher takes jobs from the JobQueue for the workers that are free, claims them all in the
// repository with one StartJobs() call and hands them to the workers; a worker runs its job and
// passes the outcome to the writer, which stores the outcomes of the jobs that finished
// meanwhile in one call and then acks their deliveries. So under load a job costs a share of a
// claim and of a write rather than a round trip of each.
//
// When jobs are short next to a claim's round trip, free workers alone would make small batches
// and leave the workers idle while each claim travels, so the fetcher then claims ahead: as many
// jobs as the workers get through in one round trip (at most kMaxAheadPerWorker per worker).
// Both times are averaged as jobs run. A job claimed ahead waits about one round trip for its
// worker, and long jobs are never claimed ahead, so the jobs this process does not have time for
// stay in the queue for other processes; a job pushed to an idle pool starts as soon as the
// fetcher's blocked receive wakes.
//
// A worker whose task overran its timeout is replaced at once and retires when the task finally
// returns, so the pool keeps `workers` threads able to take jobs.
class WorkerPool {
 public:
  WorkerPool(JobQueue& queue, JobRepository& repository, JobExecutor& executor, Logger& logger,
             int workers, std::chrono::milliseconds receive_wait);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Start();
  // Stops taking jobs (close the queue first to wake the fetcher at once), waits up to `grace`
  // for running jobs, then asks their tasks to stop, handing their jobs back for another process
  // or the next start, and waits up to `grace` again (at least a second). Outcomes are all
  // stored when it returns.
  void Stop(std::chrono::milliseconds grace);

  int busy_workers() const { return busy_.load(); }

  static constexpr int kMaxAheadPerWorker = 8;

 private:
  struct Claimed {
    Delivery delivery;
    Job job;
  };

  void Spawn();
  // How many jobs the fetcher may claim beyond the workers; expects mutex_ held.
  int ClaimAhead() const;
  void FetchLoop();
  // Claims the deliveries' jobs and queues them for the workers; false if the repository could
  // not be reached (the deliveries went back to the queue).
  bool Dispatch(std::vector<Delivery> deliveries);
  void WorkerLoop();
  void Settle(const Delivery& delivery, JobExecutor::Disposition disposition);
  // The fetcher waits `delay` unless the pool stops first.
  void Backoff(std::chrono::milliseconds delay);

  JobQueue& queue_;
  JobExecutor& executor_;
  Logger& logger_;
  const int workers_;
  const std::chrono::milliseconds receive_wait_;
  OutcomeWriter writer_;

  std::mutex mutex_;
  std::condition_variable changed_;     // threads came or went, or the pool stops
  std::condition_variable slot_freed_;  // for the fetcher: a claimed job finished
  std::condition_variable job_ready_;   // for the workers
  std::deque<Claimed> ready_;           // claimed, not yet taken by a worker
  int claimed_ = 0;                     // claimed here and not yet finished (ready or running)
  double run_seconds_ = 0;              // the average time a delivery took to run
  double claim_seconds_ = 0;            // the average round trip of a claim
  std::list<std::thread> threads_;
  std::thread fetcher_;
  int live_threads_ = 0;
  bool fetching_ = false;  // the fetcher runs; cleared first when stopping
  bool stopping_ = false;  // the workers leave once `ready_` is empty
  std::atomic<int> busy_{0};
};

}  // namespace valet::core
