#pragma once

#include <optional>
#include <vector>

#include "mysql_connection.hpp"
#include "valet/ports/job.hpp"
#include "valet/ports/pipeline.hpp"

namespace valet::adapters::mysql {

// How jobs and pipelines map onto rows: the columns a read selects and how JobAt() and
// PipelineAt() decode them, the INSERTs and the parameters that fill them. Timestamps are BIGINT
// microseconds since the epoch and empty ids are NULL (see mysql_migrations.cpp).

// What every read of a job selects, in the order JobAt() decodes.
#define VALET_JOB_COLUMNS                                                                 \
  "id, name, description, task_name, task_params, timeout, status, failure_reason, "      \
  "COALESCE(pipeline_id, ''), COALESCE(next_job_id, ''), COALESCE(previous_job_id, ''), " \
  "use_previous_results, run_at, scheduled_at, created_at, started_at, completed_at, "    \
  "max_retries, attempt, attempts, lease_token, lease_expires_at, progress, seq, labels"

// Where `seq`, the creation order of equal timestamps, sits in VALET_JOB_COLUMNS.
inline constexpr int kJobSeqColumn = 23;

// What every read of a pipeline (aliased `p`) selects, in the order PipelineAt() decodes.
#define VALET_PIPELINE_COLUMNS                                                                 \
  "p.id, p.name, p.description, p.status, p.run_at, p.created_at, p.started_at, "              \
  "p.completed_at, COALESCE((SELECT GROUP_CONCAT(j.id ORDER BY j.pipeline_position SEPARATOR " \
  "',') FROM valet_jobs j WHERE j.pipeline_id = p.id), '')"

// Filled by JobParams().
inline constexpr const char* kInsertJob =
    "INSERT INTO valet_jobs (id, name, description, task_name, task_params, timeout, status, "
    "failure_reason, pipeline_id, pipeline_position, next_job_id, previous_job_id, "
    "use_previous_results, run_at, scheduled_at, created_at, started_at, completed_at, "
    "max_retries, attempt, attempts, lease_token, lease_expires_at, labels) VALUES "
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
// Filled by PipelineParams().
inline constexpr const char* kInsertPipeline =
    "INSERT INTO valet_pipelines (id, name, description, status, run_at, created_at, started_at, "
    "completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

long long Micros(TimePoint time);
MysqlValue TimeParam(const OptionalTime& time);
// An empty id is NULL.
MysqlValue IdParam(const std::string& id);
MysqlValue TextParam(const std::optional<std::string>& text);
MysqlValue StatusParam(JobStatus status);
// JSON null is SQL NULL.
MysqlValue JsonParam(const Json& value);
// Labels as a JSON object; none is NULL.
MysqlValue LabelsParam(const Labels& labels);

// The parameters of kInsertJob; `position` is the job's place in its pipeline.
MysqlParams JobParams(const Job& job, std::optional<int> position);
// The parameters of kInsertPipeline.
MysqlParams PipelineParams(const Pipeline& pipeline);

OptionalTime TimeAt(const MysqlResult& result, int row, int column);
// SQL NULL, and text that is not JSON, read as JSON null.
Json JsonAt(const MysqlResult& result, int row, int column);
// A row of VALET_JOB_COLUMNS.
Job JobAt(const MysqlResult& result, int row);
std::vector<Job> JobsOf(const MysqlResult& result);
// A row of VALET_PIPELINE_COLUMNS.
Pipeline PipelineAt(const MysqlResult& result, int row);

}  // namespace valet::adapters::mysql
