#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "valet/ports/job_repository.hpp"

namespace valet::core {

// Stores what a running task reports of its progress (TaskContext::ReportProgress), at most
// once per `interval` so that a task reporting in a tight loop costs the repository little: a
// report within the interval after a write is kept, and the latest kept one is written by the
// next report after the interval or by Flush() when the task returns. Writes are fenced by the
// attempt's lease, so a task whose job was settled meanwhile (a timeout, a cancel) writes
// nothing. Safe to call from any thread.
class ProgressReporter {
 public:
  static constexpr std::size_t kMaxMessageBytes = 1024;

  // `job_id` and `lease_token` are viewed, not copied (one reporter is made per job run): they
  // must outlive the reporter.
  ProgressReporter(JobRepository& repository, std::string_view job_id, std::string_view lease_token,
                   std::chrono::milliseconds interval = std::chrono::milliseconds{250})
      : repository_(repository), job_id_(job_id), lease_token_(lease_token), interval_(interval) {}

  // `fraction` is clamped to [0, 1] (a value that is not a number is ignored); `message` is cut
  // to kMaxMessageBytes.
  void Report(double fraction, std::string message);
  void Flush();

 private:
  void Write(const Json& progress);

  JobRepository& repository_;
  const std::string_view job_id_;
  const std::string_view lease_token_;
  const std::chrono::milliseconds interval_;

  std::mutex mutex_;
  std::optional<std::chrono::steady_clock::time_point> last_write_;
  std::optional<Json> kept_;
};

}  // namespace valet::core
