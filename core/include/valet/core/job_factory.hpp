#pragma once

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
  JobFactory(const TaskRegistry& tasks, Clock& clock, IdGenerator& ids)
      : tasks_(tasks), clock_(clock), ids_(ids) {}

  // `parse_run_at` is false for the later jobs of a pipeline, whose run_at is ignored.
  Result<Job> Build(const JobRequest& request, bool parse_run_at) const;

  std::string NewId() const { return ids_.NewId(); }
  TimePoint Now() const { return clock_.Now(); }

 private:
  const TaskRegistry& tasks_;
  Clock& clock_;
  IdGenerator& ids_;
};

// "invalid run_at \"X\": ..." unless `text` is RFC 3339 with a zone.
Result<TimePoint> ParseRunAt(const std::string& text);

}  // namespace valet::core
