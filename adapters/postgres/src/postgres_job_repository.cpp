// Opening the repository; reading, patching and deleting records. Creates are in
// postgres_creates.cpp, status changes in postgres_lifecycle.cpp.
#include "valet/adapters/postgres/postgres_job_repository.hpp"

#include <algorithm>

#include "pg_pool.hpp"
#include "pg_rows.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::postgres {

namespace {

constexpr const char* kGetJob = "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs WHERE id = $1";
constexpr const char* kListJobs =
    "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs ORDER BY created_at, seq";
constexpr const char* kListJobsByStatus = "SELECT " VALET_JOB_COLUMNS
                                          " FROM valet_jobs WHERE status = $1 "
                                          "ORDER BY created_at, seq";
constexpr const char* kPatchJob =
    "UPDATE valet_jobs SET name = coalesce($2, name), description = coalesce($3, description) "
    "WHERE id = $1";
constexpr const char* kDeleteJob = "DELETE FROM valet_jobs WHERE id = $1";
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
constexpr const char* kPipelineExists = "SELECT 1 FROM valet_pipelines WHERE id = $1";
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
    : pool_(std::move(pool)), schedules_(*pool_), groups_(*pool_) {}

PostgresJobRepository::~PostgresJobRepository() = default;

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

Status PostgresJobRepository::DeleteJob(const std::string& id) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  VALET_RUN(deleted, kDeleteJob, {id});
  if (!deleted.ok()) return deleted.status();
  return deleted->AffectedRows() == 0 ? core::JobNotFound(id) : Status::Ok();
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
    auto exists = (*lease)->Run("kPipelineExists", kPipelineExists, {pipeline_id});
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
