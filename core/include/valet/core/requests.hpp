#pragma once

#include <optional>
#include <string>
#include <vector>

#include "valet/core/schedule_timing.hpp"
#include "valet/ports/job.hpp"
#include "valet/ports/json.hpp"

namespace valet::core {

// A job as a client asks for it, before validation.
struct JobRequest {
  std::string name;
  std::string description;
  std::string task_name;
  Json task_params;                   // null when not given
  int timeout = 0;                    // 0 = the default timeout
  std::optional<std::string> run_at;  // RFC 3339 text as sent
  std::optional<std::string> run_in;  // a delay from now instead of run_at, such as "90s"
  bool use_previous_results = false;  // only meaningful inside a pipeline
  std::optional<int> max_retries;     // nullopt = the configured default
  Labels labels;
};

struct PipelineRequest {
  std::string name;
  std::string description;
  std::optional<std::string> run_at;
  std::optional<std::string> run_in;
  std::vector<JobRequest> jobs;
};

// A schedule as a client asks for it: when it ticks, and the job or the pipeline (exactly one)
// that each tick submits.
struct ScheduleRequest {
  std::string name;
  std::string description;
  ScheduleTimingSpec timing;
  std::optional<JobRequest> job;
  std::optional<PipelineRequest> pipeline;
  bool paused = false;
};

// A partial update of a schedule: only the fields that are set change. Giving `cron` drops
// `every` and the other way round; a new job or pipeline replaces the target.
struct SchedulePatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> cron;
  std::optional<std::string> every;
  std::optional<std::string> time_zone;
  std::optional<std::string> missed;
  std::optional<JobRequest> job;
  std::optional<PipelineRequest> pipeline;
  std::optional<bool> paused;
};

// One member of a group: a job or a pipeline (exactly one).
struct GroupMemberRequest {
  std::optional<JobRequest> job;
  std::optional<PipelineRequest> pipeline;
};

// A group as a client asks for it: members that run at once, and optionally a job (a chord) that
// runs once they have all completed and gets their results.
struct GroupRequest {
  std::string name;
  std::string description;
  std::vector<GroupMemberRequest> members;
  std::optional<JobRequest> then;
};

}  // namespace valet::core
