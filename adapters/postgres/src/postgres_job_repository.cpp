#include "valet/adapters/postgres/postgres_job_repository.hpp"

#include <algorithm>

#include "pg_migrations.hpp"
#include "pg_pool.hpp"
#include "pg_rows.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/time_format.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::postgres {

namespace {

constexpr const char* kInsertJob =
    "INSERT INTO valet_jobs (id, name, description, task_name, task_params, timeout, status, "
    "failure_reason, pipeline_id, pipeline_position, next_job_id, previous_job_id, "
    "use_previous_results, run_at, scheduled_at, created_at, started_at, completed_at) VALUES "
    "($1, $2, $3, $4, $5::json, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";
constexpr const char* kGetJob = "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs WHERE id = $1";
constexpr const char* kListJobs =
    "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs ORDER BY created_at, seq";
constexpr const char* kListJobsByStatus = "SELECT " VALET_JOB_COLUMNS
                                          " FROM valet_jobs WHERE status = $1 "
                                          "ORDER BY created_at, seq";
constexpr const char* kPatchJob =
    "UPDATE valet_jobs SET name = coalesce($2, name), description = coalesce($3, description) "
    "WHERE id = $1";
constexpr const char* kStartJob =
    "UPDATE valet_jobs SET status = 3, started_at = $2 "
    "WHERE id = $1 AND status IN (1, 2) RETURNING " VALET_JOB_COLUMNS;
constexpr const char* kDeleteJob = "DELETE FROM valet_jobs WHERE id = $1";
constexpr const char* kJobStatus = "SELECT status FROM valet_jobs WHERE id = $1";
constexpr const char* kPipelineStatus = "SELECT status FROM valet_pipelines WHERE id = $1";
constexpr const char* kClaimDue =
    "WITH due AS (SELECT id AS due_id FROM valet_jobs WHERE status = 1 AND run_at IS NOT NULL "
    "AND run_at <= $1 ORDER BY run_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED) "
    "UPDATE valet_jobs SET status = 2, scheduled_at = $1 FROM due WHERE id = due_id "
    "RETURNING " VALET_JOB_COLUMNS;
constexpr const char* kNextDue = "SELECT " VALET_MICROS(
    "min(run_at)") " FROM valet_jobs WHERE status = 1 AND run_at IS NOT NULL";

// A job's status change and its result in one statement: the result row is written only if the
// compare-and-set matched, and the count says whether it did.
#define VALET_TRANSITION_JOB(time_column)                                                    \
  "WITH moved AS (UPDATE valet_jobs SET status = $3, " time_column                           \
  " = $4, "                                                                                  \
  "failure_reason = CASE WHEN $5::text = '' THEN failure_reason ELSE $5::text END "          \
  "WHERE id = $1 AND status = $2 RETURNING id), "                                            \
  "stored AS (INSERT INTO valet_results (job_id, metadata, error) "                          \
  "SELECT id, $6::json, $7 FROM moved WHERE $8::boolean "                                    \
  "ON CONFLICT (job_id) DO UPDATE SET metadata = excluded.metadata, error = excluded.error " \
  "RETURNING job_id) SELECT count(*) FROM moved"
constexpr const char* kTransitionJobScheduled = VALET_TRANSITION_JOB("scheduled_at");
constexpr const char* kTransitionJobStarted = VALET_TRANSITION_JOB("started_at");
constexpr const char* kTransitionJobCompleted = VALET_TRANSITION_JOB("completed_at");

constexpr const char* kInsertPipeline =
    "INSERT INTO valet_pipelines (id, name, description, status, run_at, created_at, started_at, "
    "completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr const char* kGetPipeline =
    "SELECT " VALET_PIPELINE_COLUMNS " FROM valet_pipelines p WHERE p.id = $1";
constexpr const char* kListPipelines =
    "SELECT " VALET_PIPELINE_COLUMNS " FROM valet_pipelines p ORDER BY p.created_at, p.seq";
constexpr const char* kListPipelinesByStatus = "SELECT " VALET_PIPELINE_COLUMNS
                                               " FROM valet_pipelines p WHERE p.status = $1 "
                                               "ORDER BY p.created_at, p.seq";
constexpr const char* kListPipelineJobs = "SELECT " VALET_JOB_COLUMNS
                                          " FROM valet_jobs WHERE pipeline_id = $1 "
                                          "ORDER BY pipeline_position";
constexpr const char* kPatchPipeline =
    "UPDATE valet_pipelines SET name = coalesce($2, name), "
    "description = coalesce($3, description) WHERE id = $1";
constexpr const char* kTransitionPipelineStarted =
    "UPDATE valet_pipelines SET status = $3, started_at = $4 WHERE id = $1 AND status = $2";
constexpr const char* kTransitionPipelineCompleted =
    "UPDATE valet_pipelines SET status = $3, completed_at = $4 WHERE id = $1 AND status = $2";
constexpr const char* kDeletePipeline = "DELETE FROM valet_pipelines WHERE id = $1";

constexpr const char* kGetResult =
    "SELECT job_id::text, metadata::text, error FROM valet_results WHERE job_id = $1";
constexpr const char* kDeleteResult = "DELETE FROM valet_results WHERE job_id = $1";

bool IsValidSchemaName(const std::string& schema) {
  if (schema.empty() || schema.size() > 63) return false;
  if (!(std::islower(static_cast<unsigned char>(schema[0])) || schema[0] == '_')) return false;
  return std::all_of(schema.begin(), schema.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '_';
  });
}

}  // namespace

Result<std::unique_ptr<PostgresJobRepository>> PostgresJobRepository::Open(
    const PostgresOptions& options) {
  if (!IsValidSchemaName(options.schema)) {
    return Status::InvalidArgument("postgres schema \"" + options.schema +
                                   "\" must be lower-case letters, digits and underscores");
  }
  PoolOptions pool_options = options.pool;
  pool_options.max_open = std::max(1, pool_options.max_open);
  pool_options.max_idle = std::max(0, pool_options.max_idle);
  auto pool = std::make_unique<PgPool>(options.dsn, options.schema, pool_options);
  // The first connection migrates the schema. A server that cannot be reached now is not fatal:
  // calls answer kUnavailable until it can, and the first connection then migrates.
  if (auto lease = pool->Acquire();
      !lease.ok() && lease.status().code() != StatusCode::kUnavailable) {
    return lease.status();
  }
  return std::unique_ptr<PostgresJobRepository>(new PostgresJobRepository(std::move(pool)));
}

PostgresJobRepository::PostgresJobRepository(std::unique_ptr<PgPool> pool)
    : pool_(std::move(pool)) {}

PostgresJobRepository::~PostgresJobRepository() = default;

// Runs one prepared statement on a pooled connection.
#define VALET_RUN(result, statement, ...)                   \
  auto lease_##result = pool_->Acquire();                   \
  if (!lease_##result.ok()) return lease_##result.status(); \
  auto result = (*lease_##result)->Run(#statement, statement, __VA_ARGS__)

Status PostgresJobRepository::CreateJob(const Job& job) {
  if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
  VALET_RUN(inserted, kInsertJob, JobParams(job, std::nullopt));
  if (!inserted.ok() && inserted.status().code() == StatusCode::kConflict) {
    return Status::Conflict("job with ID: " + job.id + " already exists");
  }
  return inserted.status();
}

Result<Job> PostgresJobRepository::GetJob(const std::string& id) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  VALET_RUN(found, kGetJob, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::JobNotFound(id);
  return JobAt(*found, 0);
}

Result<std::vector<Job>> PostgresJobRepository::ListJobs(std::optional<JobStatus> status) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto found = status
                   ? (*lease)->Run("kListJobsByStatus", kListJobsByStatus, {StatusParam(*status)})
                   : (*lease)->Run("kListJobs", kListJobs, {});
  if (!found.ok()) return found.status();
  return JobsOf(*found);
}

Status PostgresJobRepository::PatchJob(const std::string& id, const JobInfoPatch& patch) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  VALET_RUN(patched, kPatchJob, {id, patch.name, patch.description});
  if (!patched.ok()) return patched.status();
  return patched->AffectedRows() == 0 ? core::JobNotFound(id) : Status::Ok();
}

namespace {

// Why a compare-and-set matched no row, asked on the connection the caller holds (a second one
// from the pool could wait forever when every connection is held by such a caller).
Status ExplainMiss(PgConnection& connection, const char* table, const std::string& id,
                   const Transition& transition) {
  bool jobs = std::string(table) == "valet_jobs";
  Status not_found = jobs ? core::JobNotFound(id) : core::PipelineNotFound(id);
  auto found = jobs ? connection.Run("kJobStatus", kJobStatus, {id})
                    : connection.Run("kPipelineStatus", kPipelineStatus, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return not_found;
  auto current = static_cast<JobStatus>(found->Integer(0, 0));
  return Status::Conflict("status is " + std::string(JobStatusName(current)) + ", not " +
                          std::string(JobStatusName(transition.from)));
}

Status StartMiss(PgConnection& connection, const std::string& id, TimePoint at) {
  Status miss = ExplainMiss(connection, "valet_jobs", id,
                            Transition{JobStatus::kPending, JobStatus::kInProgress, at, {}, {}});
  return Status(miss.code(), miss.code() == StatusCode::kConflict
                                 ? "job with ID: " + id + " cannot start: " + miss.message()
                                 : miss.message());
}

}  // namespace

Status PostgresJobRepository::TransitionJob(const std::string& id, const Transition& transition) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  if (!IsLegalTransition(transition.from, transition.to)) {
    return Status::Conflict("illegal transition from " +
                            std::string(JobStatusName(transition.from)) + " to " +
                            std::string(JobStatusName(transition.to)));
  }
  const char* name = "kTransitionJobCompleted";
  const char* sql = kTransitionJobCompleted;
  if (transition.to == JobStatus::kScheduled) {
    name = "kTransitionJobScheduled";
    sql = kTransitionJobScheduled;
  } else if (transition.to == JobStatus::kInProgress) {
    name = "kTransitionJobStarted";
    sql = kTransitionJobStarted;
  }
  const JobResult* result = transition.result ? &*transition.result : nullptr;
  PgParams params{id,
                  StatusParam(transition.from),
                  StatusParam(transition.to),
                  core::FormatTime(transition.at),
                  transition.failure_reason,
                  result ? JsonParam(result->metadata) : std::nullopt,
                  result ? result->error : std::string(),
                  result ? "true" : "false"};
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto moved = (*lease)->Run(name, sql, params);
  if (!moved.ok()) return moved.status();
  if (moved->Integer(0, 0) == 1) return Status::Ok();
  return ExplainMiss(**lease, "valet_jobs", id, transition);
}

Result<Job> PostgresJobRepository::StartJob(const std::string& id, TimePoint at) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  VALET_RUN(started, kStartJob, {id, core::FormatTime(at)});
  if (!started.ok()) return started.status();
  if (started->rows() == 1) return JobAt(*started, 0);
  return StartMiss(**lease_started, id, at);
}

Status PostgresJobRepository::DeleteJob(const std::string& id) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  VALET_RUN(deleted, kDeleteJob, {id});
  if (!deleted.ok()) return deleted.status();
  return deleted->AffectedRows() == 0 ? core::JobNotFound(id) : Status::Ok();
}

Result<std::vector<Job>> PostgresJobRepository::ClaimDueJobs(TimePoint now, std::size_t limit) {
  VALET_RUN(claimed, kClaimDue, {core::FormatTime(now), std::to_string(limit)});
  if (!claimed.ok()) return claimed.status();
  std::vector<std::pair<std::pair<TimePoint, long long>, Job>> ordered;
  for (int row = 0; row < claimed->rows(); ++row) {
    Job job = JobAt(*claimed, row);
    ordered.push_back({{*job.run_at, claimed->Integer(row, 17)}, std::move(job)});
  }
  // UPDATE ... RETURNING gives no order; callers get the earliest run_at first.
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Job> jobs;
  jobs.reserve(ordered.size());
  for (auto& [key, job] : ordered) jobs.push_back(std::move(job));
  return jobs;
}

Result<OptionalTime> PostgresJobRepository::NextDueTime() {
  VALET_RUN(next, kNextDue, {});
  if (!next.ok()) return next.status();
  return TimeAt(*next, 0, 0);
}

Status PostgresJobRepository::CreatePipeline(const Pipeline& pipeline,
                                             const std::vector<Job>& jobs) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  PgConnection& connection = **lease;
  if (auto begun = connection.Execute("BEGIN"); !begun.ok()) return begun.status();
  auto rollback = [&](Status status) {
    connection.Execute("ROLLBACK").status().IgnoreError();
    if (status.code() == StatusCode::kConflict) {
      return Status::Conflict("pipeline with ID: " + pipeline.id + " or one of its jobs exists");
    }
    return status;
  };
  auto inserted = connection.Run(
      "kInsertPipeline", kInsertPipeline,
      {pipeline.id, pipeline.name, pipeline.description, StatusParam(pipeline.status),
       TimeParam(pipeline.run_at), core::FormatTime(pipeline.created_at),
       TimeParam(pipeline.started_at), TimeParam(pipeline.completed_at)});
  if (!inserted.ok()) return rollback(inserted.status());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    auto job = connection.Run("kInsertJob", kInsertJob, JobParams(jobs[i], static_cast<int>(i)));
    if (!job.ok()) return rollback(job.status());
  }
  if (auto committed = connection.Execute("COMMIT"); !committed.ok()) {
    return rollback(committed.status());
  }
  return Status::Ok();
}

Result<Pipeline> PostgresJobRepository::GetPipeline(const std::string& id) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  VALET_RUN(found, kGetPipeline, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::PipelineNotFound(id);
  return PipelineAt(*found, 0);
}

Result<std::vector<Pipeline>> PostgresJobRepository::ListPipelines(
    std::optional<JobStatus> status) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto found = status ? (*lease)->Run("kListPipelinesByStatus", kListPipelinesByStatus,
                                      {StatusParam(*status)})
                      : (*lease)->Run("kListPipelines", kListPipelines, {});
  if (!found.ok()) return found.status();
  std::vector<Pipeline> pipelines;
  for (int row = 0; row < found->rows(); ++row) pipelines.push_back(PipelineAt(*found, row));
  return pipelines;
}

Result<std::vector<Job>> PostgresJobRepository::ListPipelineJobs(const std::string& pipeline_id) {
  if (!core::IsUuid(pipeline_id)) return core::PipelineNotFound(pipeline_id);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto found = (*lease)->Run("kListPipelineJobs", kListPipelineJobs, {pipeline_id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) {
    auto exists = (*lease)->Run("kPipelineStatus", kPipelineStatus, {pipeline_id});
    if (!exists.ok()) return exists.status();
    if (exists->rows() == 0) return core::PipelineNotFound(pipeline_id);
  }
  return JobsOf(*found);
}

Status PostgresJobRepository::PatchPipeline(const std::string& id, const JobInfoPatch& patch) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  VALET_RUN(patched, kPatchPipeline, {id, patch.name, patch.description});
  if (!patched.ok()) return patched.status();
  return patched->AffectedRows() == 0 ? core::PipelineNotFound(id) : Status::Ok();
}

Status PostgresJobRepository::TransitionPipeline(const std::string& id,
                                                 const Transition& transition) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  if (!IsLegalTransition(transition.from, transition.to) ||
      transition.to == JobStatus::kScheduled) {
    return Status::Conflict("illegal transition from " +
                            std::string(JobStatusName(transition.from)) + " to " +
                            std::string(JobStatusName(transition.to)));
  }
  bool starts = transition.to == JobStatus::kInProgress;
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  PgParams params{id, StatusParam(transition.from), StatusParam(transition.to),
                  core::FormatTime(transition.at)};
  auto moved =
      starts ? (*lease)->Run("kTransitionPipelineStarted", kTransitionPipelineStarted, params)
             : (*lease)->Run("kTransitionPipelineCompleted", kTransitionPipelineCompleted, params);
  if (!moved.ok()) return moved.status();
  if (moved->AffectedRows() == 1) return Status::Ok();
  return ExplainMiss(**lease, "valet_pipelines", id, transition);
}

Status PostgresJobRepository::DeletePipeline(const std::string& id) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  VALET_RUN(deleted, kDeletePipeline, {id});
  if (!deleted.ok()) return deleted.status();
  return deleted->AffectedRows() == 0 ? core::PipelineNotFound(id) : Status::Ok();
}

Result<JobResult> PostgresJobRepository::GetResult(const std::string& job_id) {
  if (!core::IsUuid(job_id)) return core::ResultNotFound(job_id);
  VALET_RUN(found, kGetResult, {job_id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::ResultNotFound(job_id);
  return JobResult{found->Text(0, 0), JsonAt(*found, 0, 1), found->Text(0, 2)};
}

Status PostgresJobRepository::DeleteResult(const std::string& job_id) {
  if (!core::IsUuid(job_id)) return core::ResultNotFound(job_id);
  VALET_RUN(deleted, kDeleteResult, {job_id});
  if (!deleted.ok()) return deleted.status();
  return deleted->AffectedRows() == 0 ? core::ResultNotFound(job_id) : Status::Ok();
}

Status PostgresJobRepository::CheckHealth() {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  return (*lease)->Execute("SELECT 1").status();
}

}  // namespace valet::adapters::postgres
