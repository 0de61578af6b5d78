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
    job_ready_.notify_one();
    Spawn();
  });
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

int WorkerPool::Room() const {
  if (run_seconds_ <= 0 || claim_seconds_ <= 0) return workers_;
  double ahead = workers_ * claim_seconds_ / run_seconds_;
  return workers_ +
         static_cast<int>(std::min(ahead, static_cast<double>(workers_ * kMaxAheadPerWorker)));
}

void WorkerPool::Stop(std::chrono::milliseconds grace) {
  std::unique_lock lock(mutex_);
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
      // A task left behind writes its own outcome when it returns.
      thread.detach();
    }
  }
}

void WorkerPool::Backoff(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  job_ready_.wait_for(lock, delay, [this] { return stopping_; });
}

bool WorkerPool::Fetch(std::size_t wanted) {
  auto received = queue_.ReceiveBatch(wanted, receive_wait_);
  if (!received.ok()) {
    logger_.Log(LogLevel::kWarning, "workerpool", "cannot receive from the job queue",
                {{"error", received.status().message()}});
    return false;
  }
  if (received->empty()) return true;
  return Dispatch(std::move(*received));
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
  std::lock_guard lock(mutex_);
  Average(claim_seconds_, round_trip);
  claimed_ += static_cast<int>(runnable.size());
  for (Claimed& job : runnable) ready_.push_back(std::move(job));
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
  std::unique_lock lock(mutex_);
  while (true) {
    if (!ready_.empty()) {
      Claimed claimed = std::move(ready_.front());
      ready_.pop_front();
      // Others may take the rest while this one runs.
      if (!ready_.empty()) job_ready_.notify_one();
      lock.unlock();

      ++busy_;
      auto started = std::chrono::steady_clock::now();
      JobExecutor::Outcome outcome = executor_.Execute(claimed.delivery, std::move(claimed.job));
      auto ran = Seconds(std::chrono::steady_clock::now() - started);
      --busy_;
      Settle(claimed.delivery, outcome.disposition);

      lock.lock();
      // An abandoned worker's place went to its replacement when the task overran.
      if (outcome.worker_abandoned) break;
      --claimed_;
      Average(run_seconds_, ran);
      continue;
    }
    // Claimed jobs are run even when stopping: they are IN_PROGRESS under this process.
    if (stopping_) {
      if (!fetching_) break;
    } else if (!fetching_ && claimed_ < Room()) {
      fetching_ = true;
      auto wanted = static_cast<std::size_t>(Room() - claimed_);
      auto delay = error_delay_;
      lock.unlock();
      if (delay.count() > 0) Backoff(delay);
      bool fetched = Fetch(wanted);
      lock.lock();
      error_delay_ = fetched ? std::chrono::milliseconds{0}
                             : std::min(std::max(error_delay_ * 2, kFirstDelay), kLongestDelay);
      fetching_ = false;
      job_ready_.notify_all();
      continue;
    }
    job_ready_.wait(lock);
  }
  --live_threads_;
  changed_.notify_all();
}

}  // namespace valet::core
