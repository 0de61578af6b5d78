#include "valet/core/outcome_writer.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace valet::core {

namespace {

constexpr int kWriteTries = 5;
constexpr auto kFirstRetryDelay = std::chrono::milliseconds{50};

}  // namespace

OutcomeWriter::OutcomeWriter(JobRepository& repository, JobQueue& queue, Logger& logger,
                             std::size_t max_batch)
    : repository_(repository), queue_(queue), logger_(logger), max_batch_(max_batch) {}

void OutcomeWriter::Write(Outcome outcome) {
  std::unique_lock lock(mutex_);
  pending_.push_back(std::move(outcome));
  if (writing_) return;  // the writer under way takes it with its next batch
  writing_ = true;
  std::vector<Outcome> batch;
  while (!pending_.empty()) {
    if (pending_.size() <= max_batch_) {
      batch.swap(pending_);
    } else {
      auto cut = pending_.begin() + static_cast<std::ptrdiff_t>(max_batch_);
      batch.assign(std::make_move_iterator(pending_.begin()), std::make_move_iterator(cut));
      pending_.erase(pending_.begin(), cut);
    }
    lock.unlock();
    Flush(batch);
    batch.clear();
    lock.lock();
  }
  writing_ = false;
}

void OutcomeWriter::Flush(std::vector<Outcome>& batch) {
  std::vector<JobTransition> changes;
  changes.reserve(batch.size());
  for (const Outcome& outcome : batch) changes.push_back(outcome.change);
  auto applied = TransitionWithRetries(changes);
  if (!applied.ok()) {
    logger_.Log(LogLevel::kError, "worker", "cannot store the outcomes of jobs",
                {{"jobs", std::to_string(batch.size())}, {"error", applied.status().message()}});
  }
  std::vector<Delivery> acks;
  acks.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Outcome& outcome = batch[i];
    if (outcome.then) outcome.then(applied.ok() && (*applied)[i]);
    if (outcome.delivery) acks.push_back(std::move(*outcome.delivery));
  }
  if (acks.empty()) return;
  if (Status acked = queue_.AckBatch(acks); !acked.ok()) {
    logger_.Log(LogLevel::kWarning, "workerpool", "cannot settle deliveries",
                {{"deliveries", std::to_string(acks.size())}, {"error", acked.message()}});
  }
}

Result<std::vector<bool>> OutcomeWriter::TransitionWithRetries(
    const std::vector<JobTransition>& changes) {
  auto delay = kFirstRetryDelay;
  for (int attempt = 1;; ++attempt) {
    auto applied = repository_.TransitionJobs(changes);
    if (applied.ok() || attempt == kWriteTries ||
        applied.status().code() != StatusCode::kUnavailable) {
      return applied;
    }
    // A stop does not cut the retries short: the outcomes are worth the wait.
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
}

}  // namespace valet::core
