#include "record_codec.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "valet/core/job_query.hpp"

namespace valet::adapters::redis {

namespace {

void Add(std::vector<std::string>& fields, const char* name, std::string value) {
  fields.emplace_back(name);
  fields.push_back(std::move(value));
}

void AddTime(std::vector<std::string>& fields, const char* name, const OptionalTime& time) {
  if (time) Add(fields, name, Micros(*time));
}

bool ParseInt(std::string_view text, long long& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

bool ParseTime(std::string_view text, OptionalTime& out) {
  long long micros = 0;
  if (!ParseInt(text, micros)) return false;
  out = TimePoint{std::chrono::microseconds{micros}};
  return true;
}

Json ParseJson(std::string_view text) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? Json(nullptr) : value;
}

bool ParseStatus(std::string_view text, JobStatus& out) {
  long long value = 0;
  if (!ParseInt(text, value) || value < 1 || value > 6) return false;
  out = static_cast<JobStatus>(value);
  return true;
}

// Calls `field(name, value)` for each pair of an HGETALL reply; false for an empty or odd reply.
template <typename Visit>
bool ForEachField(const redisReply* reply, Visit field) {
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0 || reply->elements % 2 != 0) {
    return false;
  }
  for (std::size_t i = 0; i < reply->elements; i += 2) {
    if (!field(TextOf(reply->element[i]), TextOf(reply->element[i + 1]))) return false;
  }
  return true;
}

}  // namespace

std::string Micros(TimePoint time) { return std::to_string(time.time_since_epoch().count()); }

std::string IdOfMember(std::string_view member) {
  std::size_t colon = member.find(':');
  return std::string(colon == std::string_view::npos ? member : member.substr(colon + 1));
}

std::vector<std::string> JobFields(const Job& job) {
  std::vector<std::string> fields;
  fields.reserve(46);
  Add(fields, "id", job.id);
  Add(fields, "name", job.name);
  Add(fields, "description", job.description);
  Add(fields, "task_name", job.task_name);
  if (!job.task_params.is_null()) Add(fields, "task_params", JsonText(job.task_params));
  Add(fields, "timeout", std::to_string(job.timeout));
  Add(fields, "status", std::to_string(static_cast<int>(job.status)));
  Add(fields, "failure_reason", job.failure_reason);
  Add(fields, "pipeline_id", job.pipeline_id);
  Add(fields, "next_job_id", job.next_job_id);
  Add(fields, "previous_job_id", job.previous_job_id);
  Add(fields, "use_previous_results", job.use_previous_results ? "1" : "0");
  AddTime(fields, "run_at", job.run_at);
  AddTime(fields, "scheduled_at", job.scheduled_at);
  Add(fields, "created_at", Micros(job.created_at));
  AddTime(fields, "started_at", job.started_at);
  AddTime(fields, "completed_at", job.completed_at);
  Add(fields, "max_retries", std::to_string(job.max_retries));
  Add(fields, "attempt", std::to_string(job.attempt));
  if (!job.attempts.is_null()) Add(fields, "attempts", JsonText(job.attempts));
  Add(fields, "lease_token", job.lease_token);
  AddTime(fields, "lease_expires_at", job.lease_expires_at);
  if (!job.labels.empty()) Add(fields, "labels", JsonText(Json(job.labels)));
  return fields;
}

std::vector<std::string> PipelineFields(const Pipeline& pipeline) {
  std::vector<std::string> fields;
  Add(fields, "id", pipeline.id);
  Add(fields, "name", pipeline.name);
  Add(fields, "description", pipeline.description);
  Add(fields, "status", std::to_string(static_cast<int>(pipeline.status)));
  std::string ids;
  for (const std::string& id : pipeline.job_ids) {
    if (!ids.empty()) ids += ',';
    ids += id;
  }
  Add(fields, "job_ids", ids);
  AddTime(fields, "run_at", pipeline.run_at);
  Add(fields, "created_at", Micros(pipeline.created_at));
  AddTime(fields, "started_at", pipeline.started_at);
  AddTime(fields, "completed_at", pipeline.completed_at);
  return fields;
}

std::vector<std::string> ResultFields(const JobResult& result) {
  std::vector<std::string> fields;
  Add(fields, "error", result.error);
  if (!result.metadata.is_null()) Add(fields, "metadata", JsonText(result.metadata));
  return fields;
}

std::vector<std::string> UpdatedScheduleFields(const Schedule& schedule) {
  std::vector<std::string> fields;
  Add(fields, "name", schedule.name);
  Add(fields, "description", schedule.description);
  Add(fields, "timing", JsonText(schedule.timing));
  Add(fields, "target", JsonText(schedule.target));
  Add(fields, "paused", schedule.paused ? "1" : "0");
  AddTime(fields, "next_run_at", schedule.next_run_at);
  if (!schedule.last_runs.is_null()) Add(fields, "last_runs", JsonText(schedule.last_runs));
  Add(fields, "updated_at", Micros(schedule.updated_at));
  return fields;
}

std::vector<std::string> ScheduleFields(const Schedule& schedule) {
  std::vector<std::string> fields = UpdatedScheduleFields(schedule);
  Add(fields, "id", schedule.id);
  Add(fields, "origin", schedule.origin);
  Add(fields, "created_at", Micros(schedule.created_at));
  Add(fields, "revision", std::to_string(schedule.revision));
  return fields;
}

std::vector<std::string> UpdatedGroupFields(const Group& group) {
  std::vector<std::string> fields;
  Add(fields, "name", group.name);
  Add(fields, "description", group.description);
  Add(fields, "status", std::to_string(static_cast<int>(group.status)));
  Add(fields, "failure_reason", group.failure_reason);
  AddTime(fields, "completed_at", group.completed_at);
  return fields;
}

std::vector<std::string> GroupFields(const Group& group) {
  std::vector<std::string> fields = UpdatedGroupFields(group);
  Add(fields, "id", group.id);
  Add(fields, "definition", JsonText(group.definition));
  Add(fields, "created_at", Micros(group.created_at));
  Add(fields, "revision", std::to_string(group.revision));
  return fields;
}

bool DecodeJob(const redisReply* reply, Job& job) {
  bool has_created = false;
  bool decoded = ForEachField(reply, [&](std::string_view name, std::string_view value) {
    long long number = 0;
    if (name == "id") {
      job.id = value;
    } else if (name == "name") {
      job.name = value;
    } else if (name == "description") {
      job.description = value;
    } else if (name == "task_name") {
      job.task_name = value;
    } else if (name == "task_params") {
      job.task_params = ParseJson(value);
    } else if (name == "timeout") {
      if (!ParseInt(value, number)) return false;
      job.timeout = static_cast<int>(number);
    } else if (name == "status") {
      return ParseStatus(value, job.status);
    } else if (name == "failure_reason") {
      job.failure_reason = value;
    } else if (name == "pipeline_id") {
      job.pipeline_id = value;
    } else if (name == "next_job_id") {
      job.next_job_id = value;
    } else if (name == "previous_job_id") {
      job.previous_job_id = value;
    } else if (name == "use_previous_results") {
      job.use_previous_results = value == "1";
    } else if (name == "run_at") {
      return ParseTime(value, job.run_at);
    } else if (name == "scheduled_at") {
      return ParseTime(value, job.scheduled_at);
    } else if (name == "created_at") {
      OptionalTime created;
      if (!ParseTime(value, created)) return false;
      job.created_at = *created;
      has_created = true;
    } else if (name == "started_at") {
      return ParseTime(value, job.started_at);
    } else if (name == "completed_at") {
      return ParseTime(value, job.completed_at);
    } else if (name == "max_retries") {
      if (!ParseInt(value, number)) return false;
      job.max_retries = static_cast<int>(number);
    } else if (name == "attempt") {
      if (!ParseInt(value, number)) return false;
      job.attempt = static_cast<int>(number);
    } else if (name == "attempts") {
      job.attempts = ParseJson(value);
    } else if (name == "lease_token") {
      job.lease_token = value;
    } else if (name == "lease_expires_at") {
      return ParseTime(value, job.lease_expires_at);
    } else if (name == "progress") {
      job.progress = ParseJson(value);
    } else if (name == "labels") {
      job.labels = core::LabelsOf(ParseJson(value));
    }
    return true;
  });
  return decoded && has_created && !job.id.empty();
}

bool DecodePipeline(const redisReply* reply, Pipeline& pipeline) {
  bool has_created = false;
  bool decoded = ForEachField(reply, [&](std::string_view name, std::string_view value) {
    if (name == "id") {
      pipeline.id = value;
    } else if (name == "name") {
      pipeline.name = value;
    } else if (name == "description") {
      pipeline.description = value;
    } else if (name == "status") {
      return ParseStatus(value, pipeline.status);
    } else if (name == "job_ids") {
      for (std::size_t start = 0; start < value.size();) {
        std::size_t end = std::min(value.find(',', start), value.size());
        pipeline.job_ids.emplace_back(value.substr(start, end - start));
        start = end + 1;
      }
    } else if (name == "run_at") {
      return ParseTime(value, pipeline.run_at);
    } else if (name == "created_at") {
      OptionalTime created;
      if (!ParseTime(value, created)) return false;
      pipeline.created_at = *created;
      has_created = true;
    } else if (name == "started_at") {
      return ParseTime(value, pipeline.started_at);
    } else if (name == "completed_at") {
      return ParseTime(value, pipeline.completed_at);
    }
    return true;
  });
  return decoded && has_created && !pipeline.id.empty();
}

bool DecodeSchedule(const redisReply* reply, Schedule& schedule) {
  bool has_created = false;
  bool decoded = ForEachField(reply, [&](std::string_view name, std::string_view value) {
    if (name == "id") {
      schedule.id = value;
    } else if (name == "name") {
      schedule.name = value;
    } else if (name == "description") {
      schedule.description = value;
    } else if (name == "timing") {
      schedule.timing = ParseJson(value);
    } else if (name == "target") {
      schedule.target = ParseJson(value);
    } else if (name == "paused") {
      schedule.paused = value == "1";
    } else if (name == "next_run_at") {
      return ParseTime(value, schedule.next_run_at);
    } else if (name == "last_runs") {
      schedule.last_runs = ParseJson(value);
    } else if (name == "origin") {
      schedule.origin = value;
    } else if (name == "created_at") {
      OptionalTime created;
      if (!ParseTime(value, created)) return false;
      schedule.created_at = *created;
      has_created = true;
    } else if (name == "updated_at") {
      OptionalTime updated;
      if (!ParseTime(value, updated)) return false;
      schedule.updated_at = *updated;
    } else if (name == "revision") {
      long long revision = 0;
      if (!ParseInt(value, revision)) return false;
      schedule.revision = revision;
    }
    return true;
  });
  return decoded && has_created && !schedule.id.empty();
}

bool DecodeGroup(const redisReply* reply, Group& group) {
  bool has_created = false;
  bool decoded = ForEachField(reply, [&](std::string_view name, std::string_view value) {
    if (name == "id") {
      group.id = value;
    } else if (name == "name") {
      group.name = value;
    } else if (name == "description") {
      group.description = value;
    } else if (name == "definition") {
      group.definition = ParseJson(value);
    } else if (name == "status") {
      return ParseStatus(value, group.status);
    } else if (name == "failure_reason") {
      group.failure_reason = value;
    } else if (name == "created_at") {
      OptionalTime created;
      if (!ParseTime(value, created)) return false;
      group.created_at = *created;
      has_created = true;
    } else if (name == "completed_at") {
      return ParseTime(value, group.completed_at);
    } else if (name == "revision") {
      long long revision = 0;
      if (!ParseInt(value, revision)) return false;
      group.revision = revision;
    }
    return true;
  });
  return decoded && has_created && !group.id.empty();
}

bool DecodeResult(const redisReply* reply, const std::string& job_id, JobResult& result) {
  result.job_id = job_id;
  return ForEachField(reply, [&](std::string_view name, std::string_view value) {
    if (name == "metadata") {
      result.metadata = ParseJson(value);
    } else if (name == "error") {
      result.error = value;
    }
    return true;
  });
}

}  // namespace valet::adapters::redis
