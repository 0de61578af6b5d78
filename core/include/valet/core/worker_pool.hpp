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

// `workers` threads that run jobs in batches without a thread between them and the backends. A
// worker that finds no claimed job waiting fetches for the pool, unless another one is already
// at it: it takes jobs from the JobQueue for the room the pool has, claims them all in the
// repository with one StartJobs() call, keeps one and leaves the rest to the others. A worker
// that finishes hands its job's outcome to the OutcomeWriter, which stores it, with the outcomes
// of the jobs that finished meanwhile, in one call, then acks their deliveries. So a lone job
// costs what it did with one thread and a round trip per step, and under load a job costs a
// share of a claim and of a write.
//
// The room is one job per worker, and more when jobs are short next to a claim's round trip:
// then free workers alone would make small batches and wait while each claim travels, so the
// pool claims ahead as many jobs as the workers get through in one round trip (at most
// kMaxAheadPerWorker per worker), from running averages of both times. A job claimed ahead
// waits about one round trip for its worker, and long jobs are never claimed ahead, so the jobs
// this process does not have time for stay in the queue for other processes.
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
  // Stops taking jobs (close the queue first to wake a blocked receive at once), runs the jobs
  // already claimed, waits up to `grace` for running jobs, then asks their tasks to stop, handing
  // their jobs back for another process or the next start, and waits up to `grace` again (at
  // least a second). Outcomes are all stored when it returns.
  void Stop(std::chrono::milliseconds grace);

  int busy_workers() const { return busy_.load(); }

  static constexpr int kMaxAheadPerWorker = 8;

 private:
  struct Claimed {
    Delivery delivery;
    Job job;
  };

  void Spawn();
  // How many jobs the pool may hold claimed; expects mutex_ held.
  int Room() const;
  void WorkerLoop();
  // Fetches and claims up to `wanted` jobs into ready_; false after a failure (backed off).
  bool Fetch(std::size_t wanted);
  // Claims the deliveries' jobs and queues them in ready_; false if the repository could not be
  // reached (the deliveries went back to the queue).
  bool Dispatch(std::vector<Delivery> deliveries);
  void Settle(const Delivery& delivery, JobExecutor::Disposition disposition);
  // Waits `delay` unless the pool stops first.
  void Backoff(std::chrono::milliseconds delay);

  JobQueue& queue_;
  JobExecutor& executor_;
  Logger& logger_;
  const int workers_;
  const std::chrono::milliseconds receive_wait_;
  OutcomeWriter writer_;

  std::mutex mutex_;
  std::condition_variable changed_;    // threads came or went, or the pool stops
  std::condition_variable job_ready_;  // jobs were claimed, room was made, or the pool stops
  std::deque<Claimed> ready_;          // claimed, not yet taken by a worker
  int claimed_ = 0;                    // claimed here and not yet finished (ready or running)
  bool fetching_ = false;              // a worker fetches for the pool
  double run_seconds_ = 0;             // the average time a delivery took to run
  double claim_seconds_ = 0;           // the average round trip of a claim
  std::chrono::milliseconds error_delay_{0};  // the backoff after failed fetches, 0 after one ok
  std::list<std::thread> threads_;
  int live_threads_ = 0;
  bool stopping_ = false;
  std::atomic<int> busy_{0};
};

}  // namespace valet::core
