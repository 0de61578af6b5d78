#include "valet/core/worker_pool.hpp"

#include <algorithm>
#include <map>

namespace valet::core {

namespace {

constexpr auto kFirstDelay = std::chrono::milliseconds{50};
constexpr auto kLongestDelay = std::chrono::milliseconds{5000};
// The weight of the newest sample in the running averages.
constexpr double kSampleWeight = 0.2;

double Seconds(std::chrono::steady_clock::duration duration) {
  return std::chrono::duration<double>(duration).count();
}

void Average(double& average, double sample) {
  average = average == 0 ? sample : average + kSampleWeight * (sample - average);
}

}  // namespace

WorkerPool::WorkerPool(JobQueue& queue, JobRepository& repository, JobExecutor& executor,
                       Logger& logger, int workers, std::chrono::milliseconds receive_wait)
    : queue_(queue),
      executor_(executor),
      logger_(logger),
      workers_(std::max(workers, 1)),
      receive_wait_(receive_wait),
      writer_(repository, queue, logger) {
  executor_.SetOutcomeWriter(writer_);
  executor_.SetAbandonHandler([this] {
    // The overrunning task keeps its thread; its place goes to a new one.
    {
      std::lock_guard lock(mutex_);
      --claimed_;
    }
    slot_freed_.notify_one();
    Spawn();
  });
}

WorkerPool::~WorkerPool() { Stop(std::chrono::milliseconds{0}); }

void WorkerPool::Start() {
  writer_.Start();
  {
    std::lock_guard lock(mutex_);
    fetching_ = true;
  }
  for (int i = 0; i < workers_; ++i) Spawn();
  std::lock_guard lock(mutex_);
  fetcher_ = std::thread([this] { FetchLoop(); });
}

void WorkerPool::Spawn() {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  ++live_threads_;
  threads_.emplace_back([this] { WorkerLoop(); });
}

void WorkerPool::Stop(std::chrono::milliseconds grace) {
  std::unique_lock lock(mutex_);
  fetching_ = false;
  slot_freed_.notify_all();
  std::thread fetcher = std::move(fetcher_);
  lock.unlock();
  // The fetcher's receive returns at once on the closed queue. Once it is gone the workers run
  // what it claimed, then leave.
  if (fetcher.joinable()) fetcher.join();
  lock.lock();
  stopping_ = true;
  job_ready_.notify_all();
  auto all_done = [this] { return live_threads_ == 0; };
  if (!changed_.wait_for(lock, grace, all_done)) {
    // Idle workers have left already; only running jobs need asking.
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
  // A task that is left behind writes its outcome itself once the writer has stopped.
  writer_.Stop();
}

int WorkerPool::ClaimAhead() const {
  if (run_seconds_ <= 0 || claim_seconds_ <= 0) return 0;
  double ahead = workers_ * claim_seconds_ / run_seconds_;
  return static_cast<int>(std::min(ahead, static_cast<double>(workers_ * kMaxAheadPerWorker)));
}

void WorkerPool::Backoff(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  slot_freed_.wait_for(lock, delay, [this] { return !fetching_; });
}

void WorkerPool::FetchLoop() {
  auto error_delay = kFirstDelay;  // after a failed receive
  auto retry_delay = kFirstDelay;  // after jobs handed back for want of the repository
  while (true) {
    std::size_t wanted;
    {
      std::unique_lock lock(mutex_);
      slot_freed_.wait(lock, [this] { return !fetching_ || claimed_ < workers_ + ClaimAhead(); });
      if (!fetching_) return;
      wanted = static_cast<std::size_t>(workers_ + ClaimAhead() - claimed_);
    }
    auto received = queue_.ReceiveBatch(wanted, receive_wait_);
    if (!received.ok()) {
      logger_.Log(LogLevel::kWarning, "workerpool", "cannot receive from the job queue",
                  {{"error", received.status().message()}});
      Backoff(error_delay);
      error_delay = std::min(error_delay * 2, kLongestDelay);
      continue;
    }
    error_delay = kFirstDelay;
    if (received->empty()) continue;
    if (Dispatch(std::move(*received))) {
      retry_delay = kFirstDelay;
    } else {
      // The repository could not be reached: give it time instead of spinning on the same jobs.
      Backoff(retry_delay);
      retry_delay = std::min(retry_delay * 2, kLongestDelay);
    }
  }
}

bool WorkerPool::Dispatch(std::vector<Delivery> deliveries) {
  auto sent = std::chrono::steady_clock::now();
  auto claimed = executor_.Claim(deliveries);
  auto round_trip = Seconds(std::chrono::steady_clock::now() - sent);
  if (!claimed.ok()) {
    logger_.Log(
        LogLevel::kWarning, "worker", "cannot start jobs",
        {{"jobs", std::to_string(deliveries.size())}, {"error", claimed.status().message()}});
    for (const Delivery& delivery : deliveries) {
      Settle(delivery, JobExecutor::Disposition::kRequeue);
    }
    return false;
  }
  std::map<std::string, Job*> by_id;
  for (Job& job : *claimed) by_id.emplace(job.id, &job);
  std::vector<Claimed> runnable;
  std::vector<Delivery> done;
  for (Delivery& delivery : deliveries) {
    auto found = by_id.find(delivery.job_id);
    if (found == by_id.end()) {
      // Deleted, cancelled, finished, running elsewhere, or delivered twice in this batch: the
      // repository has the job's truth, so this delivery is done.
      done.push_back(std::move(delivery));
      continue;
    }
    runnable.push_back(Claimed{std::move(delivery), std::move(*found->second)});
    by_id.erase(found);
  }
  if (!done.empty()) {
    if (Status acked = queue_.AckBatch(done); !acked.ok()) {
      logger_.Log(LogLevel::kWarning, "workerpool", "cannot settle deliveries",
                  {{"error", acked.message()}});
    }
  }
  {
    std::lock_guard lock(mutex_);
    Average(claim_seconds_, round_trip);
    claimed_ += static_cast<int>(runnable.size());
    for (Claimed& job : runnable) ready_.push_back(std::move(job));
  }
  if (runnable.empty()) return true;
  if (runnable.size() == 1) {
    job_ready_.notify_one();
  } else {
    job_ready_.notify_all();
  }
  return true;
}

void WorkerPool::Settle(const Delivery& delivery, JobExecutor::Disposition disposition) {
  if (disposition == JobExecutor::Disposition::kDeferred) return;  // the writer acks it
  Status settled = disposition == JobExecutor::Disposition::kAck
                       ? queue_.Ack(delivery)
                       : queue_.Nack(delivery, /*requeue=*/true);
  if (!settled.ok()) {
    logger_.Log(LogLevel::kWarning, "workerpool", "cannot settle a delivery",
                {{"job_id", delivery.job_id}, {"error", settled.message()}});
  }
}

void WorkerPool::WorkerLoop() {
  while (true) {
    Claimed claimed;
    {
      std::unique_lock lock(mutex_);
      // Jobs claimed before a stop are still run: they are IN_PROGRESS under this process.
      job_ready_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
      if (ready_.empty()) break;
      claimed = std::move(ready_.front());
      ready_.pop_front();
    }
    ++busy_;
    auto started = std::chrono::steady_clock::now();
    JobExecutor::Outcome outcome = executor_.Execute(claimed.delivery, std::move(claimed.job));
    auto ran = Seconds(std::chrono::steady_clock::now() - started);
    --busy_;
    Settle(claimed.delivery, outcome.disposition);
    // An abandoned worker's place went to its replacement when the task overran.
    if (outcome.worker_abandoned) break;
    {
      std::lock_guard lock(mutex_);
      --claimed_;
      Average(run_seconds_, ran);
    }
    slot_freed_.notify_one();
  }
  std::lock_guard lock(mutex_);
  --live_threads_;
  changed_.notify_all();
}

}  // namespace valet::core
