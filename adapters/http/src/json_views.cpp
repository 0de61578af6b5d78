#include "json_views.hpp"

#include "valet/core/time_format.hpp"

namespace valet::adapters::http {

namespace {

void PutTime(ApiJson& json, const char* key, const OptionalTime& time) {
  if (time) json[key] = core::FormatTime(*time);
}

template <typename Record>
void PutDuration(ApiJson& json, const Record& record) {
  if (record.started_at && record.completed_at && IsTerminal(record.status)) {
    auto elapsed = *record.completed_at - *record.started_at;
    json["duration"] = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  }
}

}  // namespace

ApiJson JobView(const Job& job) {
  ApiJson json = ApiJson::object();
  json["id"] = job.id;
  json["name"] = job.name;
  if (!job.pipeline_id.empty()) json["pipeline_id"] = job.pipeline_id;
  if (!job.next_job_id.empty()) json["next_job_id"] = job.next_job_id;
  if (job.use_previous_results) json["use_previous_results"] = true;
  json["task_name"] = job.task_name;
  if (job.task_params.is_object() && !job.task_params.empty()) {
    json["task_params"] = ApiJson(job.task_params);
  }
  if (job.timeout != 0) json["timeout"] = job.timeout;
  if (!job.description.empty()) json["description"] = job.description;
  json["status"] = JobStatusName(job.status);
  if (!job.failure_reason.empty()) json["failure_reason"] = job.failure_reason;
  PutTime(json, "run_at", job.run_at);
  PutTime(json, "scheduled_at", job.scheduled_at);
  json["created_at"] = core::FormatTime(job.created_at);
  PutTime(json, "started_at", job.started_at);
  PutTime(json, "completed_at", job.completed_at);
  PutDuration(json, job);
  if (job.max_retries != 0) json["max_retries"] = job.max_retries;
  if (job.attempt != 0) json["attempt"] = job.attempt;
  if (job.attempts.is_array() && !job.attempts.empty()) json["attempts"] = ApiJson(job.attempts);
  if (job.progress.is_object()) json["progress"] = ApiJson(job.progress);
  if (!job.labels.empty()) json["labels"] = job.labels;
  return json;
}

ApiJson PipelineView(const Pipeline& pipeline) {
  ApiJson json = ApiJson::object();
  json["id"] = pipeline.id;
  json["name"] = pipeline.name;
  if (!pipeline.description.empty()) json["description"] = pipeline.description;
  json["status"] = JobStatusName(pipeline.status);
  PutTime(json, "run_at", pipeline.run_at);
  json["created_at"] = core::FormatTime(pipeline.created_at);
  PutTime(json, "started_at", pipeline.started_at);
  PutTime(json, "completed_at", pipeline.completed_at);
  PutDuration(json, pipeline);
  return json;
}

ApiJson ResultView(const JobResult& result) {
  ApiJson json = ApiJson::object();
  json["job_id"] = result.job_id;
  if (!result.metadata.is_null()) json["metadata"] = ApiJson(result.metadata);
  if (!result.error.empty()) json["error"] = result.error;
  return json;
}

ApiJson ScheduleView(const Schedule& schedule) {
  ApiJson json = ApiJson::object();
  json["id"] = schedule.id;
  json["name"] = schedule.name;
  if (!schedule.description.empty()) json["description"] = schedule.description;
  for (const char* key : {"cron", "every", "time_zone", "missed"}) {
    if (auto it = schedule.timing.find(key); it != schedule.timing.end()) json[key] = ApiJson(*it);
  }
  for (const char* key : {"job", "pipeline"}) {
    if (auto it = schedule.target.find(key); it != schedule.target.end()) json[key] = ApiJson(*it);
  }
  json["paused"] = schedule.paused;
  PutTime(json, "next_run_at", schedule.next_run_at);
  json["last_runs"] = ApiJson::array();
  if (schedule.last_runs.is_array()) {
    for (const Json& run : schedule.last_runs) {
      // Stored runs keep no key order; a reply lists the tick first.
      ApiJson ordered = ApiJson::object();
      for (const char* key : {"tick", "submitted_at", "job_id", "pipeline_id", "missed", "error"}) {
        if (auto it = run.find(key); it != run.end()) ordered[key] = ApiJson(*it);
      }
      json["last_runs"].push_back(std::move(ordered));
    }
  }
  json["origin"] = schedule.origin;
  json["created_at"] = core::FormatTime(schedule.created_at);
  json["updated_at"] = core::FormatTime(schedule.updated_at);
  return json;
}

ApiJson GroupSummaryView(const Group& group) {
  ApiJson json = ApiJson::object();
  json["id"] = group.id;
  json["name"] = group.name;
  if (!group.description.empty()) json["description"] = group.description;
  json["status"] = JobStatusName(group.status);
  if (!group.failure_reason.empty()) json["failure_reason"] = group.failure_reason;
  json["created_at"] = core::FormatTime(group.created_at);
  PutTime(json, "completed_at", group.completed_at);
  return json;
}

ApiJson GroupView(const core::GroupWithMembers& found) {
  ApiJson json = GroupSummaryView(found.group);
  json["status"] = JobStatusName(found.status);
  ApiJson members = ApiJson::array();
  ApiJson statuses = ApiJson::object();
  for (const core::GroupMember& member : found.members) {
    ApiJson view = ApiJson::object();
    const std::string& id = member.job_id.empty() ? member.pipeline_id : member.job_id;
    view[member.job_id.empty() ? "pipeline_id" : "job_id"] = id;
    view["name"] = member.name;
    if (member.missing) {
      view["deleted"] = true;
    } else {
      view["status"] = JobStatusName(member.status);
      statuses[id] = JobStatusName(member.status);
    }
    members.push_back(std::move(view));
  }
  json["members"] = std::move(members);
  json["statuses"] = std::move(statuses);
  if (auto then = found.group.definition.find("then"); then != found.group.definition.end()) {
    json["then"] = ApiJson(*then);
  }
  if (!found.then_job_id.empty()) json["then_job_id"] = found.then_job_id;
  return json;
}

}  // namespace valet::adapters::http
