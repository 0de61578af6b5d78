#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <vector>

#include "valet/ports/clock.hpp"
#include "valet/ports/job_status.hpp"

namespace valet::core {

// How many job runs this process's workers finished per minute over the last hour, by outcome:
// what the dashboard draws as throughput and failure rate. Minutes are those of the Clock
// (aligned to the epoch); older counts are forgotten. Safe to call from any thread.
class JobHistory {
 public:
  static constexpr int kMinutes = 60;

  struct Minute {
    TimePoint start;  // the minute's first instant
    std::uint64_t completed = 0;
    std::uint64_t failed = 0;
  };

  explicit JobHistory(Clock& clock) : clock_(clock) {}

  // Counts a run that ended COMPLETED or FAILED (no retry left) now; other outcomes (a retry, a
  // cancel) are not counted.
  void Record(JobStatus outcome);

  // The last kMinutes minutes, oldest first, the current one (still filling) last; a minute with
  // no runs has zeros.
  std::vector<Minute> LastHour() const;

 private:
  struct Bucket {
    std::int64_t minute = -1;  // minutes since the epoch; -1: never used
    std::uint64_t completed = 0;
    std::uint64_t failed = 0;
  };

  std::int64_t MinuteNow() const;

  Clock& clock_;
  mutable std::mutex mutex_;
  std::array<Bucket, kMinutes> buckets_;  // minute m lives at m % kMinutes
};

}  // namespace valet::core
