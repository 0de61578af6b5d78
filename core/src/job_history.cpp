#include "valet/core/job_history.hpp"

#include <chrono>

namespace valet::core {

namespace {

std::size_t SlotOf(std::int64_t minute) {
  return static_cast<std::size_t>((minute % JobHistory::kMinutes + JobHistory::kMinutes) %
                                  JobHistory::kMinutes);
}

}  // namespace

std::int64_t JobHistory::MinuteNow() const {
  return std::chrono::floor<std::chrono::minutes>(clock_.Now()).time_since_epoch().count();
}

void JobHistory::Record(JobStatus outcome) {
  if (outcome != JobStatus::kCompleted && outcome != JobStatus::kFailed) return;
  std::int64_t minute = MinuteNow();
  std::lock_guard lock(mutex_);
  Bucket& bucket = buckets_[SlotOf(minute)];
  if (bucket.minute != minute) bucket = Bucket{minute, 0, 0};  // an hour old, or never used
  ++(outcome == JobStatus::kCompleted ? bucket.completed : bucket.failed);
}

std::vector<JobHistory::Minute> JobHistory::LastHour() const {
  std::int64_t now = MinuteNow();
  std::vector<Minute> minutes;
  minutes.reserve(kMinutes);
  std::lock_guard lock(mutex_);
  for (std::int64_t minute = now - kMinutes + 1; minute <= now; ++minute) {
    Minute entry{TimePoint{std::chrono::minutes{minute}}};
    const Bucket& bucket = buckets_[SlotOf(minute)];
    if (bucket.minute == minute) {
      entry.completed = bucket.completed;
      entry.failed = bucket.failed;
    }
    minutes.push_back(entry);
  }
  return minutes;
}

}  // namespace valet::core
