#include "mysql_rows.hpp"

#include <algorithm>

#include "valet/core/job_query.hpp"

namespace valet::adapters::mysql {

long long Micros(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
}

MysqlValue TimeParam(const OptionalTime& time) {
  if (!time) return std::monostate{};
  return Micros(*time);
}

MysqlValue IdParam(const std::string& id) {
  if (id.empty()) return std::monostate{};
  return id;
}

MysqlValue TextParam(const std::optional<std::string>& text) {
  if (!text) return std::monostate{};
  return *text;
}

MysqlValue StatusParam(JobStatus status) { return static_cast<long long>(status); }

MysqlValue JsonParam(const Json& value) {
  if (value.is_null()) return std::monostate{};
  return JsonText(value);
}

MysqlValue LabelsParam(const Labels& labels) {
  if (labels.empty()) return std::monostate{};
  return JsonText(Json(labels));
}

MysqlParams JobParams(const Job& job, std::optional<int> position) {
  return {job.id,
          job.name,
          job.description,
          job.task_name,
          JsonParam(job.task_params),
          static_cast<long long>(job.timeout),
          StatusParam(job.status),
          job.failure_reason,
          IdParam(job.pipeline_id),
          position ? MysqlValue(static_cast<long long>(*position)) : MysqlValue(),
          IdParam(job.next_job_id),
          IdParam(job.previous_job_id),
          job.use_previous_results ? 1LL : 0LL,
          TimeParam(job.run_at),
          TimeParam(job.scheduled_at),
          Micros(job.created_at),
          TimeParam(job.started_at),
          TimeParam(job.completed_at),
          static_cast<long long>(job.max_retries),
          static_cast<long long>(job.attempt),
          JsonParam(job.attempts),
          job.lease_token,
          TimeParam(job.lease_expires_at),
          LabelsParam(job.labels)};
}

MysqlParams PipelineParams(const Pipeline& pipeline) {
  return {pipeline.id,
          pipeline.name,
          pipeline.description,
          StatusParam(pipeline.status),
          TimeParam(pipeline.run_at),
          Micros(pipeline.created_at),
          TimeParam(pipeline.started_at),
          TimeParam(pipeline.completed_at)};
}

OptionalTime TimeAt(const MysqlResult& result, int row, int column) {
  auto micros = result.OptionalInteger(row, column);
  if (!micros) return std::nullopt;
  return TimePoint{std::chrono::microseconds{*micros}};
}

Json JsonAt(const MysqlResult& result, int row, int column) {
  if (result.IsNull(row, column)) return nullptr;
  Json value = Json::parse(result.Text(row, column), nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? Json(nullptr) : value;
}

Job JobAt(const MysqlResult& result, int row) {
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
  job.use_previous_results = result.Integer(row, 11) != 0;
  job.run_at = TimeAt(result, row, 12);
  job.scheduled_at = TimeAt(result, row, 13);
  job.created_at = *TimeAt(result, row, 14);
  job.started_at = TimeAt(result, row, 15);
  job.completed_at = TimeAt(result, row, 16);
  job.max_retries = static_cast<int>(result.Integer(row, 17));
  job.attempt = static_cast<int>(result.Integer(row, 18));
  job.attempts = JsonAt(result, row, 19);
  job.lease_token = result.Text(row, 20);
  job.lease_expires_at = TimeAt(result, row, 21);
  job.progress = JsonAt(result, row, 22);
  job.labels = core::LabelsOf(JsonAt(result, row, 24));
  return job;
}

std::vector<Job> JobsOf(const MysqlResult& result) {
  std::vector<Job> jobs;
  jobs.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) jobs.push_back(JobAt(result, row));
  return jobs;
}

Pipeline PipelineAt(const MysqlResult& result, int row) {
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

}  // namespace valet::adapters::mysql
