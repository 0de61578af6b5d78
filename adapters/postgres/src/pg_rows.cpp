#include "pg_rows.hpp"

#include <algorithm>
#include <limits>

#include "valet/core/job_query.hpp"
#include "valet/core/time_format.hpp"

namespace valet::adapters::postgres {

std::optional<std::string> TimeParam(const OptionalTime& time) {
  if (!time) return std::nullopt;
  return core::FormatTime(*time);
}

std::optional<std::string> IdParam(const std::string& id) {
  if (id.empty()) return std::nullopt;
  return id;
}

std::string StatusParam(JobStatus status) { return std::to_string(static_cast<int>(status)); }

std::optional<std::string> JsonParam(const Json& value) {
  if (value.is_null()) return std::nullopt;
  return JsonText(value);
}

std::string LimitParam(std::size_t limit) {
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<long long>::max());
  return std::to_string(std::min(limit, kMax));
}

std::string BytesParam(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0xf]);
  }
  return hex;
}

std::string ArrayParam(const std::vector<std::optional<std::string>>& elements) {
  std::string literal = "{";
  for (const auto& element : elements) {
    if (literal.size() > 1) literal.push_back(',');
    if (!element) {
      literal += "NULL";
      continue;
    }
    literal.push_back('"');
    for (char c : *element) {
      if (c == '"' || c == '\\') literal.push_back('\\');
      literal.push_back(c);
    }
    literal.push_back('"');
  }
  literal.push_back('}');
  return literal;
}

std::optional<std::string> LabelsParam(const Labels& labels) {
  if (labels.empty()) return std::nullopt;
  return Json(labels).dump(-1, ' ', false, Json::error_handler_t::replace);
}

OptionalTime TimeAt(const PgResult& result, int row, int column) {
  auto micros = result.OptionalInteger(row, column);
  if (!micros) return std::nullopt;
  return TimePoint{std::chrono::microseconds{*micros}};
}

Json JsonAt(const PgResult& result, int row, int column) {
  if (result.IsNull(row, column)) return nullptr;
  Json value = Json::parse(result.Text(row, column), nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? Json(nullptr) : value;
}

Job JobAt(const PgResult& result, int row) {
  Job job;
  job.id = result.Text(row, 0);
  job.name = result.Text(row, 1);
  job.description = result.Text(row, 2);
  job.task_name = result.Text(row, 3);
  job.task_params = JsonAt(result, row, 4);
  job.timeout = static_cast<int>(result.Integer(row, 5));
  job.status = static_cast<JobStatus>(result.Integer(row, 6));
  job.failure_reason = result.Text(row, 7);
  job.pipeline_id = result.Text(row, 8);
  job.next_job_id = result.Text(row, 9);
  job.previous_job_id = result.Text(row, 10);
  job.use_previous_results = result.Text(row, 11) == "t";
  job.run_at = TimeAt(result, row, 12);
  job.scheduled_at = TimeAt(result, row, 13);
  job.created_at = *TimeAt(result, row, 14);
  job.started_at = TimeAt(result, row, 15);
  job.completed_at = TimeAt(result, row, 16);
  job.max_retries = static_cast<int>(result.Integer(row, 18));
  job.attempt = static_cast<int>(result.Integer(row, 19));
  job.attempts = JsonAt(result, row, 20);
  job.lease_token = result.Text(row, 21);
  job.lease_expires_at = TimeAt(result, row, 22);
  job.progress = JsonAt(result, row, 23);
  job.labels = core::LabelsOf(JsonAt(result, row, 24));
  return job;
}

std::vector<Job> JobsOf(const PgResult& result) {
  std::vector<Job> jobs;
  jobs.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) jobs.push_back(JobAt(result, row));
  return jobs;
}

Pipeline PipelineAt(const PgResult& result, int row) {
  Pipeline pipeline;
  pipeline.id = result.Text(row, 0);
  pipeline.name = result.Text(row, 1);
  pipeline.description = result.Text(row, 2);
  pipeline.status = static_cast<JobStatus>(result.Integer(row, 3));
  pipeline.run_at = TimeAt(result, row, 4);
  pipeline.created_at = *TimeAt(result, row, 5);
  pipeline.started_at = TimeAt(result, row, 6);
  pipeline.completed_at = TimeAt(result, row, 7);
  std::string ids = result.Text(row, 8);
  for (std::size_t start = 0; start < ids.size();) {
    std::size_t end = std::min(ids.find(',', start), ids.size());
    pipeline.job_ids.push_back(ids.substr(start, end - start));
    start = end + 1;
  }
  return pipeline;
}

PgParams JobParams(const Job& job, std::optional<int> position) {
  return {job.id,
          job.name,
          job.description,
          job.task_name,
          JsonParam(job.task_params),
          std::to_string(job.timeout),
          StatusParam(job.status),
          job.failure_reason,
          IdParam(job.pipeline_id),
          position ? std::optional<std::string>(std::to_string(*position)) : std::nullopt,
          IdParam(job.next_job_id),
          IdParam(job.previous_job_id),
          job.use_previous_results ? "true" : "false",
          TimeParam(job.run_at),
          TimeParam(job.scheduled_at),
          core::FormatTime(job.created_at),
          TimeParam(job.started_at),
          TimeParam(job.completed_at),
          std::to_string(job.max_retries),
          std::to_string(job.attempt),
          JsonParam(job.attempts),
          job.lease_token,
          TimeParam(job.lease_expires_at),
          LabelsParam(job.labels)};
}

}  // namespace valet::adapters::postgres
