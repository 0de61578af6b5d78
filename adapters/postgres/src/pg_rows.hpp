#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg_connection.hpp"
#include "valet/ports/job.hpp"
#include "valet/ports/pipeline.hpp"

namespace valet::adapters::postgres {

// How jobs and pipelines travel to and from their rows: the column lists every SELECT and
// RETURNING uses, the parameters of an INSERT, and the decoding of a result row.

// Timestamps travel out as microseconds since the epoch (exact, no time zone parsing) and in as
// RFC 3339 text.
#define VALET_MICROS(column) "(extract(epoch from " column ") * 1000000)::bigint"

#define VALET_JOB_COLUMNS \
  "id::text, name, description, task_name, task_params::text, timeout, status, "             \
  "failure_reason, coalesce(pipeline_id::text, ''), coalesce(next_job_id::text, ''), "       \
  "coalesce(previous_job_id::text, ''), use_previous_results, " VALET_MICROS("run_at") ", " \
  VALET_MICROS("scheduled_at") ", " VALET_MICROS("created_at") ", " VALET_MICROS(            \
      "started_at") ", " VALET_MICROS("completed_at") ", seq, max_retries, attempt, "          \
  "attempts::text, lease_token, " VALET_MICROS("lease_expires_at") ", progress::text, "      \
  "labels::text"

// Where `seq`, the creation order of equal timestamps, sits in VALET_JOB_COLUMNS.
inline constexpr int kJobSeqColumn = 17;

#define VALET_PIPELINE_COLUMNS \
  "p.id::text, p.name, p.description, p.status, " VALET_MICROS("p.run_at") ", "            \
  VALET_MICROS("p.created_at") ", " VALET_MICROS("p.started_at") ", " VALET_MICROS(        \
      "p.completed_at") ", array_to_string(ARRAY(SELECT j.id::text FROM valet_jobs j WHERE " \
                        "j.pipeline_id = p.id ORDER BY j.pipeline_position), ',')"

// Statement parameters, as text (nullopt is SQL NULL).
std::optional<std::string> TimeParam(const OptionalTime& time);
std::optional<std::string> IdParam(const std::string& id);  // "" is NULL
std::string StatusParam(JobStatus status);
std::optional<std::string> JsonParam(const Json& value);  // JSON null is NULL
// A LIMIT, capped at the largest bigint so that "no limit" (SIZE_MAX) stays a number SQL takes.
std::string LimitParam(std::size_t limit);
// Bytes as hex, for decode($n, 'hex'): a text parameter ends at the first NUL, bytea does not.
std::string BytesParam(const std::string& bytes);
// A one-dimensional array literal ("{...}") of the elements, each quoted; nullopt is NULL.
std::string ArrayParam(const std::vector<std::optional<std::string>>& elements);
// Labels as a JSON object; none is NULL.
std::optional<std::string> LabelsParam(const Labels& labels);
// The 24 values of an INSERT INTO valet_jobs, in its column order.
PgParams JobParams(const Job& job, std::optional<int> position);

// Decoding a row selected with the column lists above.
OptionalTime TimeAt(const PgResult& result, int row, int column);
Json JsonAt(const PgResult& result, int row, int column);
Job JobAt(const PgResult& result, int row);
std::vector<Job> JobsOf(const PgResult& result);
Pipeline PipelineAt(const PgResult& result, int row);

}  // namespace valet::adapters::postgres
