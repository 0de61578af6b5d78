#pragma once

#include <string>

#include "valet/ports/job_status.hpp"
#include "valet/ports/json.hpp"
#include "valet/ports/time.hpp"

namespace valet {

// One call of a registered task. Pipeline jobs are linked both ways so a worker can find the
// job before it (for its result) and the job after it.
struct Job {
  std::string id;
  std::string name;
  std::string description;
  std::string task_name;
  Json task_params;  // null when none were given
  int timeout = 0;   // in the configured timeout unit; 0 = the default
  JobStatus status = JobStatus::kPending;
  std::string failure_reason;

  std::string pipeline_id;
  std::string next_job_id;
  std::string previous_job_id;
  bool use_previous_results = false;

  OptionalTime run_at;
  OptionalTime scheduled_at;
  TimePoint created_at{};
  OptionalTime started_at;
  OptionalTime completed_at;

  bool IsScheduled() const { return run_at.has_value(); }
  bool BelongsToPipeline() const { return !pipeline_id.empty(); }
};

// A partial update from the API: only the fields that are set are written.
struct JobInfoPatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
};

}  // namespace valet
