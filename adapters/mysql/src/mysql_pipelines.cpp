// The pipelines of MysqlJobRepository. A pipeline's jobs are rows of valet_jobs that name it;
// deleting the pipeline deletes them (a foreign key), and their results with them.
#include "mysql_idempotency.hpp"
#include "mysql_pool.hpp"
#include "mysql_rows.hpp"
#include "valet/adapters/mysql/mysql_job_repository.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/transition.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::mysql {

namespace {

constexpr const char* kGetPipeline =
    "SELECT " VALET_PIPELINE_COLUMNS " FROM valet_pipelines p WHERE p.id = ?";
constexpr const char* kListPipelines =
    "SELECT " VALET_PIPELINE_COLUMNS " FROM valet_pipelines p ORDER BY p.created_at, p.seq";
constexpr const char* kListPipelinesByStatus = "SELECT " VALET_PIPELINE_COLUMNS
                                               " FROM valet_pipelines p WHERE p.status = ? "
                                               "ORDER BY p.created_at, p.seq";
constexpr const char* kListPipelineJobs = "SELECT " VALET_JOB_COLUMNS
                                          " FROM valet_jobs WHERE pipeline_id = ? "
                                          "ORDER BY pipeline_position";
constexpr const char* kPipelineStatus = "SELECT status FROM valet_pipelines WHERE id = ?";
constexpr const char* kPatchPipeline =
    "UPDATE valet_pipelines SET name = COALESCE(?, name), "
    "description = COALESCE(?, description) WHERE id = ?";
constexpr const char* kTransitionPipelineStarted =
    "UPDATE valet_pipelines SET status = ?, started_at = ? WHERE id = ? AND status = ?";
constexpr const char* kTransitionPipelineCompleted =
    "UPDATE valet_pipelines SET status = ?, completed_at = ? WHERE id = ? AND status = ?";
constexpr const char* kDeletePipeline = "DELETE FROM valet_pipelines WHERE id = ?";

// The pipeline and its jobs, inside the caller's transaction.
Status InsertPipeline(MysqlConnection& connection, const Pipeline& pipeline,
                      const std::vector<Job>& jobs) {
  Status status =
      connection.Run("kInsertPipeline", kInsertPipeline, PipelineParams(pipeline)).status();
  for (std::size_t i = 0; i < jobs.size() && status.ok(); ++i) {
    status =
        connection.Run("kInsertJob", kInsertJob, JobParams(jobs[i], static_cast<int>(i))).status();
  }
  if (status.code() == StatusCode::kConflict) {
    return Status::Conflict("pipeline with ID: " + pipeline.id + " or one of its jobs exists");
  }
  return status;
}

}  // namespace

Status MysqlJobRepository::CreatePipeline(const Pipeline& pipeline, const std::vector<Job>& jobs) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  MysqlConnection& connection = **lease;
  return InTransaction(connection, [&] { return InsertPipeline(connection, pipeline, jobs); });
}

Result<std::string> MysqlJobRepository::CreatePipelineOnce(const Pipeline& pipeline,
                                                           const std::vector<Job>& jobs,
                                                           const IdempotencyKey& key) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  MysqlConnection& connection = **lease;
  return CreateOnce(connection, kPipelineKeys, key, pipeline.id, pipeline.created_at,
                    [&] { return InsertPipeline(connection, pipeline, jobs); });
}

Result<Pipeline> MysqlJobRepository::GetPipeline(const std::string& id) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  auto found = pool_->Run("kGetPipeline", kGetPipeline, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::PipelineNotFound(id);
  return PipelineAt(*found, 0);
}

Result<std::vector<Pipeline>> MysqlJobRepository::ListPipelines(std::optional<JobStatus> status) {
  auto found =
      status ? pool_->Run("kListPipelinesByStatus", kListPipelinesByStatus, {StatusParam(*status)})
             : pool_->Run("kListPipelines", kListPipelines, {});
  if (!found.ok()) return found.status();
  std::vector<Pipeline> pipelines;
  for (int row = 0; row < found->rows(); ++row) pipelines.push_back(PipelineAt(*found, row));
  return pipelines;
}

Result<std::vector<Job>> MysqlJobRepository::ListPipelineJobs(const std::string& pipeline_id) {
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

Status MysqlJobRepository::PatchPipeline(const std::string& id, const JobInfoPatch& patch) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  auto patched = pool_->Run("kPatchPipeline", kPatchPipeline,
                            {TextParam(patch.name), TextParam(patch.description), id});
  if (!patched.ok()) return patched.status();
  return patched->AffectedRows() == 0 ? core::PipelineNotFound(id) : Status::Ok();
}

Status MysqlJobRepository::TransitionPipeline(const std::string& id, const Transition& transition) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  // A pipeline never becomes SCHEDULED and never goes back to PENDING.
  if (Status legal = core::CheckPipelineTransition(transition.from, transition); !legal.ok()) {
    return legal;
  }
  bool starts = transition.to == JobStatus::kInProgress;
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  MysqlParams params{StatusParam(transition.to), Micros(transition.at), id,
                     StatusParam(transition.from)};
  auto moved =
      starts ? (*lease)->Run("kTransitionPipelineStarted", kTransitionPipelineStarted, params)
             : (*lease)->Run("kTransitionPipelineCompleted", kTransitionPipelineCompleted, params);
  if (!moved.ok()) return moved.status();
  if (moved->AffectedRows() == 1) return Status::Ok();
  // Why it missed, asked on the connection this call holds.
  auto found = (*lease)->Run("kPipelineStatus", kPipelineStatus, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::PipelineNotFound(id);
  Status why =
      core::CheckPipelineTransition(static_cast<JobStatus>(found->Integer(0, 0)), transition);
  if (!why.ok()) return why;
  return Status::Conflict("pipeline with ID: " + id + " changed while it was being moved");
}

Status MysqlJobRepository::DeletePipeline(const std::string& id) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  auto deleted = pool_->Run("kDeletePipeline", kDeletePipeline, {id});
  if (!deleted.ok()) return deleted.status();
  return deleted->AffectedRows() == 0 ? core::PipelineNotFound(id) : Status::Ok();
}

}  // namespace valet::adapters::mysql
