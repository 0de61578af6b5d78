#include "valet/core/worker_pool.hpp"

#include <algorithm>

namespace valet::core {

WorkerPool::WorkerPool(JobQueue& queue, JobExecutor& executor, Logger& logger, int workers,
                       std::chrono::milliseconds receive_wait)
    : queue_(queue),
      executor_(executor),
      logger_(logger),
      workers_(std::max(workers, 1)),
      receive_wait_(receive_wait) {
  executor_.SetAbandonHandler([this] { Spawn(); });
}

WorkerPool::~WorkerPool() { Stop(std::chrono::milliseconds{0}); }

void WorkerPool::Start() {
  for (int i = 0; i < workers_; ++i) Spawn();
}

void WorkerPool::Spawn() {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  ++live_threads_;
  threads_.emplace_back([this] { WorkerLoop(); });
}

void WorkerPool::Stop(std::chrono::milliseconds grace) {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  auto all_done = [this] { return live_threads_ == 0; };
  if (!changed_.wait_for(lock, grace, all_done)) {
    // Idle workers leave as soon as the closed queue wakes them; only running jobs need asking.
    if (busy_ > 0) {
      logger_.Log(LogLevel::kWarning, "workerpool",
                  "jobs still running after the grace period: asking them to stop and handing "
                  "them back");
    }
    executor_.HandBackAll();
    if (!changed_.wait_for(lock, std::max(grace, std::chrono::milliseconds{1000}), all_done)) {
      logger_.Log(LogLevel::kError, "workerpool", "a task ignores its stop request: leaving it");
    }
  }
  std::list<std::thread> threads = std::move(threads_);
  bool finished = all_done();
  lock.unlock();
  for (auto& thread : threads) {
    if (finished) {
      thread.join();
    } else {
      thread.detach();
    }
  }
}

void WorkerPool::Backoff(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, delay, [this] { return stopping_; });
}

void WorkerPool::WorkerLoop() {
  auto error_delay = std::chrono::milliseconds{50};  // after a failed Receive()
  auto retry_delay = std::chrono::milliseconds{50};  // after a job handed back
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    auto received = queue_.Receive(receive_wait_);
    if (!received.ok()) {
      logger_.Log(LogLevel::kWarning, "workerpool", "cannot receive from the job queue",
                  {{"error", received.status().message()}});
      Backoff(error_delay);
      error_delay = std::min(error_delay * 2, std::chrono::milliseconds{5000});
      continue;
    }
    error_delay = std::chrono::milliseconds{50};
    if (!received->has_value()) continue;

    const Delivery& delivery = **received;
    ++busy_;
    JobExecutor::Outcome outcome = executor_.Execute(delivery);
    --busy_;
    Status settled = outcome.disposition == JobExecutor::Disposition::kAck
                         ? queue_.Ack(delivery)
                         : queue_.Nack(delivery, /*requeue=*/true);
    if (!settled.ok()) {
      logger_.Log(LogLevel::kWarning, "workerpool", "cannot settle a delivery",
                  {{"job_id", delivery.job_id}, {"error", settled.message()}});
    }
    if (outcome.worker_abandoned) break;
    if (outcome.disposition == JobExecutor::Disposition::kRequeue) {
      // The repository could not be reached: give it time instead of spinning on the same job.
      Backoff(retry_delay);
      retry_delay = std::min(retry_delay * 2, std::chrono::milliseconds{5000});
    } else {
      retry_delay = std::chrono::milliseconds{50};
    }
  }
  std::lock_guard lock(mutex_);
  --live_threads_;
  changed_.notify_all();
}

}  // namespace valet::core
