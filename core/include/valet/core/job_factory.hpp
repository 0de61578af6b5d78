#pragma once

#include <optional>
#include <string>

#include "valet/core/requests.hpp"
#include "valet/core/task_registry.hpp"
#include "valet/ports/clock.hpp"
#include "valet/ports/id_generator.hpp"
#include "valet/ports/job.hpp"

namespace valet::core {

// Checks a job request as valet does and turns it into a PENDING job with a fresh id. The
// messages are valet's: "name required", "name, task_name required",
// "X is not a valid task name - valid tasks: [a b]".
class JobFactory {
 public:
  // The most retries a job may ask for.
  static constexpr int kMaxRetries = valet::kMaxRetries;

  JobFactory(const TaskRegistry& tasks, Clock& clock, IdGenerator& ids, int default_max_retries = 0)
      : tasks_(tasks), clock_(clock), ids_(ids), default_max_retries_(default_max_retries) {}

  // `parse_run_at` is false for the later jobs of a pipeline, whose run_at and run_in are
  // ignored.
  Result<Job> Build(const JobRequest& request, bool parse_run_at) const;

  std::string NewId() const { return ids_.NewId(); }
  TimePoint Now() const { return clock_.Now(); }

 private:
  const TaskRegistry& tasks_;
  Clock& clock_;
  IdGenerator& ids_;
  int default_max_retries_;
};

// "invalid run_at \"X\": ..." unless `text` is RFC 3339 with a zone.
Result<TimePoint> ParseRunAt(const std::string& text);

// When a job of `request` is due: its run_at, or `now` plus its run_in; nullopt (now) when it
// gives neither, or a run_in of zero. Both at once is an error.
Result<std::optional<TimePoint>> StartTimeOf(const JobRequest& request, TimePoint now);

}  // namespace valet::core
