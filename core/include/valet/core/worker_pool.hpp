#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>

#include "valet/core/job_executor.hpp"
#include "valet/ports/job_queue.hpp"
#include "valet/ports/logger.hpp"

namespace valet::core {

// `workers` threads that each receive jobs from the JobQueue and run them through the executor.
// Workers pull only when idle, so the queue itself is the bounded buffer in front of the pool and
// a job pushed to an idle pool starts as soon as a blocked Receive() wakes.
//
// A worker whose task overran its timeout is replaced at once and retires when the task finally
// returns, so the pool keeps `workers` threads able to take jobs.
class WorkerPool {
 public:
  WorkerPool(JobQueue& queue, JobExecutor& executor, Logger& logger, int workers,
             std::chrono::milliseconds receive_wait);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Start();
  // Stops taking jobs (close the queue first to wake idle workers at once), waits up to `grace`
  // for running jobs, then asks their tasks to stop, handing their jobs back for another process
  // or the next start, and waits up to `grace` again (at least a second).
  void Stop(std::chrono::milliseconds grace);

  int busy_workers() const { return busy_.load(); }

 private:
  void Spawn();
  void WorkerLoop();
  void Backoff(std::chrono::milliseconds delay);

  JobQueue& queue_;
  JobExecutor& executor_;
  Logger& logger_;
  const int workers_;
  const std::chrono::milliseconds receive_wait_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::list<std::thread> threads_;
  int live_threads_ = 0;
  bool stopping_ = false;
  std::atomic<int> busy_{0};
};

}  // namespace valet::core
