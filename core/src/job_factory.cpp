#include "valet/core/job_factory.hpp"

#include "valet/core/duration_format.hpp"
#include "valet/core/job_query.hpp"
#include "valet/core/time_format.hpp"

namespace valet::core {

Result<TimePoint> ParseRunAt(const std::string& text) {
  auto time = ParseTime(text);
  if (!time) {
    return Status::InvalidArgument("invalid run_at \"" + text +
                                   "\": expected RFC 3339 with a time zone, such as "
                                   "2006-01-02T15:04:05Z or 2006-01-02T15:04:05.999+02:00");
  }
  return *time;
}

Result<std::optional<TimePoint>> StartTimeOf(const JobRequest& request, TimePoint now) {
  bool has_run_at = request.run_at && !request.run_at->empty();
  bool has_run_in = request.run_in && !request.run_in->empty();
  if (has_run_at && has_run_in) {
    return Status::InvalidArgument(
        "run_at and run_in cannot both be given: run_at is a time, run_in a delay from now");
  }
  if (has_run_at) {
    auto run_at = ParseRunAt(*request.run_at);
    if (!run_at.ok()) return run_at.status();
    return std::optional<TimePoint>(*run_at);
  }
  if (!has_run_in) return std::optional<TimePoint>();
  auto delay = ParseDuration(*request.run_in);
  if (!delay) {
    return Status::InvalidArgument("invalid run_in \"" + *request.run_in +
                                   "\": expected a duration such as 90s, 15m or 1h30m "
                                   "(units ms, s, m and h)");
  }
  if (delay->count() == 0) return std::optional<TimePoint>();
  return std::optional<TimePoint>(now + std::chrono::duration_cast<TimePoint::duration>(*delay));
}

Result<Job> JobFactory::Build(const JobRequest& request, bool parse_run_at) const {
  Job job;
  TimePoint now = clock_.Now();
  if (parse_run_at) {
    auto start = StartTimeOf(request, now);
    if (!start.ok()) return start.status();
    job.run_at = *start;
  }

  std::string missing;
  if (request.name.empty()) missing = "name";
  if (request.task_name.empty()) missing += missing.empty() ? "task_name" : ", task_name";
  if (!missing.empty()) return Status::InvalidArgument(missing + " required");
  const RegisteredTask* task = tasks_.Find(request.task_name);
  if (!task) {
    std::string valid;
    for (const auto& name : tasks_.Names()) valid += (valid.empty() ? "" : " ") + name;
    return Status::InvalidArgument(request.task_name +
                                   " is not a valid task name - valid tasks: [" + valid + "]");
  }
  if (request.timeout < 0) return Status::InvalidArgument("timeout must not be negative");
  if (request.max_retries &&
      (*request.max_retries < 0 || *request.max_retries > JobFactory::kMaxRetries)) {
    return Status::InvalidArgument("max_retries must be from 0 to " +
                                   std::to_string(JobFactory::kMaxRetries));
  }
  if (!request.task_params.is_null() && !request.task_params.is_object()) {
    return Status::InvalidArgument("task_params must be a JSON object");
  }
  if (Status labels = CheckLabels(request.labels); !labels.ok()) return labels;

  job.id = ids_.NewId();
  job.name = request.name;
  job.description = request.description;
  job.task_name = request.task_name;
  job.task_params = request.task_params;
  job.timeout = request.timeout;
  job.use_previous_results = request.use_previous_results;
  job.labels = request.labels;
  job.max_retries =
      request.max_retries.value_or(task->options().max_retries.value_or(default_max_retries_));
  job.status = JobStatus::kPending;
  job.created_at = now;
  return job;
}

}  // namespace valet::core
