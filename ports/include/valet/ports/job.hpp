#pragma once

#include <map>
#include <string>

#include "valet/ports/job_status.hpp"
#include "valet/ports/json.hpp"
#include "valet/ports/time.hpp"

namespace valet {

// Labels of a job: string keys and values a client attaches to find and group jobs by.
using Labels = std::map<std::string, std::string>;

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

  // Retries: a failed attempt runs again while fewer than max_retries retries were made.
  int max_retries = 0;
  // Attempts started so far: 1 while the first runs, 0 before.
  int attempt = 0;
  // The attempts that did not succeed, oldest first: an array of objects with "attempt",
  // "started_at", "ended_at" and "error" (and "lost": true when the worker vanished); null when
  // there are none.
  Json attempts;
  // The running attempt's lease: its fencing token and when it runs out unless renewed. Empty
  // and nullopt while the job is not IN_PROGRESS.
  std::string lease_token;
  OptionalTime lease_expires_at;
  // What the running attempt last reported of its progress: {"fraction": 0.4, "message":
  // "copied 4/10"}; null before it reports any. A new attempt starts without.
  Json progress;
  // What the client labelled the job with; empty when none.
  Labels labels;

  bool IsScheduled() const { return run_at.has_value(); }
  bool BelongsToPipeline() const { return !pipeline_id.empty(); }
};

// A partial update from the API: only the fields that are set are written.
struct JobInfoPatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
};

}  // namespace valet
