// The jobs of MysqlJobRepository: storing, reading, patching, status changes and leases.
#include <algorithm>

#include "mysql_idempotency.hpp"
#include "mysql_pool.hpp"
#include "mysql_rows.hpp"
#include "valet/adapters/mysql/mysql_job_repository.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/transition.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::mysql {

namespace {

constexpr const char* kGetJob = "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs WHERE id = ?";
constexpr const char* kListJobs =
    "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs ORDER BY created_at, seq";
constexpr const char* kListJobsByStatus =
    "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs WHERE status = ? ORDER BY created_at, seq";
constexpr const char* kPatchJob =
    "UPDATE valet_jobs SET name = COALESCE(?, name), description = COALESCE(?, description) "
    "WHERE id = ?";
constexpr const char* kDeleteJob = "DELETE FROM valet_jobs WHERE id = ?";
constexpr const char* kJobState = "SELECT status, lease_token FROM valet_jobs WHERE id = ?";

constexpr const char* kStartJob =
    "UPDATE valet_jobs SET status = 3, started_at = ?, lease_token = ?, lease_expires_at = ?, "
    "attempt = attempt + 1, progress = NULL WHERE id = ? AND status IN (1, 2)";
constexpr const char* kSetProgress =
    "UPDATE valet_jobs SET progress = ? WHERE id = ? AND status = 3 AND lease_token = ?";
constexpr const char* kRenewLease =
    "UPDATE valet_jobs SET lease_expires_at = ? WHERE id = ? AND status = 3 AND lease_token = ?";

// One compare-and-set per target status, which names the column it stamps (back to PENDING
// stamps run_at with the transition's run_at). The flags say whether the lease is cleared and
// the attempts replaced; the fence matches any lease when its token is NULL.
#define VALET_TRANSITION_JOB(stamped_column)                                     \
  "UPDATE valet_jobs SET status = ?, " stamped_column                            \
  " = ?, failure_reason = CASE WHEN ? = '' THEN failure_reason ELSE ? END, "     \
  "lease_token = CASE WHEN ? THEN '' ELSE lease_token END, "                     \
  "lease_expires_at = CASE WHEN ? THEN NULL ELSE lease_expires_at END, "         \
  "attempts = CASE WHEN ? THEN ? ELSE attempts END WHERE id = ? AND status = ? " \
  "AND (? IS NULL OR lease_token = ?)"
constexpr const char* kTransitionJobPending = VALET_TRANSITION_JOB("run_at");
constexpr const char* kTransitionJobScheduled = VALET_TRANSITION_JOB("scheduled_at");
constexpr const char* kTransitionJobStarted = VALET_TRANSITION_JOB("started_at");
constexpr const char* kTransitionJobCompleted = VALET_TRANSITION_JOB("completed_at");
constexpr const char* kScheduleNextJob =
    "UPDATE valet_jobs SET status = 2, scheduled_at = ? WHERE id = ? AND status = 1";
constexpr const char* kStoreResult =
    "INSERT INTO valet_results (job_id, metadata, error) VALUES (?, ?, ?) "
    "ON DUPLICATE KEY UPDATE metadata = VALUES(metadata), error = VALUES(error)";

Status InsertJob(MysqlConnection& connection, const Job& job) {
  auto inserted = connection.Run("kInsertJob", kInsertJob, JobParams(job, std::nullopt));
  if (!inserted.ok() && inserted.status().code() == StatusCode::kConflict) {
    return Status::Conflict("job with ID: " + job.id + " already exists");
  }
  return inserted.status();
}

// The job's status and lease token, or nullopt when it does not exist.
Result<std::optional<Job>> JobState(MysqlConnection& connection, const std::string& id) {
  auto found = connection.Run("kJobState", kJobState, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return std::optional<Job>();
  Job job;
  job.id = id;
  job.status = static_cast<JobStatus>(found->Integer(0, 0));
  job.lease_token = found->Text(0, 1);
  return std::optional<Job>(std::move(job));
}

// A write fenced by a lease changed no row: the job is gone, or no longer held under the lease.
Status LeaseLost(MysqlConnection& connection, const std::string& id) {
  auto current = JobState(connection, id);
  if (!current.ok()) return current.status();
  if (!*current) return core::JobNotFound(id);
  return Status::Conflict("job with ID: " + id + " is no longer held under this lease");
}

// Why a compare-and-set matched no row, asked on the connection the caller holds (a second one
// from the pool could wait forever when every connection is held by such a caller).
Status ExplainMiss(MysqlConnection& connection, const std::string& id,
                   const Transition& transition) {
  auto current = JobState(connection, id);
  if (!current.ok()) return current.status();
  if (!*current) return core::JobNotFound(id);
  Status why = core::CheckTransition(**current, transition);
  if (!why.ok()) return why;
  return Status::Conflict("job with ID: " + id + " changed while it was being moved");
}

struct Statement {
  const char* name;
  const char* sql;
};

Statement TransitionStatement(JobStatus to) {
  switch (to) {
    case JobStatus::kPending:
      return {"kTransitionJobPending", kTransitionJobPending};
    case JobStatus::kScheduled:
      return {"kTransitionJobScheduled", kTransitionJobScheduled};
    case JobStatus::kInProgress:
      return {"kTransitionJobStarted", kTransitionJobStarted};
    default:
      return {"kTransitionJobCompleted", kTransitionJobCompleted};
  }
}

MysqlParams TransitionParams(const std::string& id, const Transition& transition) {
  MysqlValue stamp = transition.to == JobStatus::kPending ? TimeParam(transition.run_at)
                                                          : MysqlValue(Micros(transition.at));
  long long clears_lease = transition.from == JobStatus::kInProgress ? 1 : 0;
  long long replaces_attempts = transition.attempts ? 1 : 0;
  return {StatusParam(transition.to),
          std::move(stamp),
          transition.failure_reason,
          transition.failure_reason,
          clears_lease,
          clears_lease,
          replaces_attempts,
          transition.attempts ? JsonParam(*transition.attempts) : MysqlValue(),
          id,
          StatusParam(transition.from),
          TextParam(transition.lease_token),
          TextParam(transition.lease_token)};
}

// The compare-and-set of a status change, then, if it matched (`moved`), the result and the
// pipeline's next job; the caller decides whether these run in one transaction.
Status MoveJob(MysqlConnection& connection, const std::string& id, const Transition& transition,
               bool& moved) {
  Statement statement = TransitionStatement(transition.to);
  auto updated = connection.Run(statement.name, statement.sql, TransitionParams(id, transition));
  if (!updated.ok()) return updated.status();
  moved = updated->AffectedRows() == 1;
  if (!moved) return Status::Ok();
  if (const auto& result = transition.result) {
    auto stored = connection.Run("kStoreResult", kStoreResult,
                                 {id, JsonParam(result->metadata), result->error});
    if (!stored.ok()) return stored.status();
  }
  if (transition.schedule_next_job_id.empty()) return Status::Ok();
  return connection
      .Run("kScheduleNextJob", kScheduleNextJob,
           {Micros(transition.at), transition.schedule_next_job_id})
      .status();
}

}  // namespace

Status MysqlJobRepository::CreateJob(const Job& job) {
  if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  return InsertJob(**lease, job);
}

Status MysqlJobRepository::CreateJobs(const std::vector<Job>& jobs) {
  for (const Job& job : jobs) {
    if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
  }
  if (jobs.empty()) return Status::Ok();
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  MysqlConnection& connection = **lease;
  // One transaction: all or none, and one commit for the batch.
  return InTransaction(connection, [&]() -> Status {
    for (const Job& job : jobs) {
      if (Status inserted = InsertJob(connection, job); !inserted.ok()) return inserted;
    }
    return Status::Ok();
  });
}

Result<std::string> MysqlJobRepository::CreateJobOnce(const Job& job, const IdempotencyKey& key) {
  if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  MysqlConnection& connection = **lease;
  return CreateOnce(connection, kJobKeys, key, job.id, job.created_at,
                    [&] { return InsertJob(connection, job); });
}

Result<Job> MysqlJobRepository::GetJob(const std::string& id) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  auto found = pool_->Run("kGetJob", kGetJob, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::JobNotFound(id);
  return JobAt(*found, 0);
}

Result<std::vector<Job>> MysqlJobRepository::ListJobs(std::optional<JobStatus> status) {
  auto found = status ? pool_->Run("kListJobsByStatus", kListJobsByStatus, {StatusParam(*status)})
                      : pool_->Run("kListJobs", kListJobs, {});
  if (!found.ok()) return found.status();
  return JobsOf(*found);
}

Status MysqlJobRepository::PatchJob(const std::string& id, const JobInfoPatch& patch) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  auto patched =
      pool_->Run("kPatchJob", kPatchJob, {TextParam(patch.name), TextParam(patch.description), id});
  if (!patched.ok()) return patched.status();
  return patched->AffectedRows() == 0 ? core::JobNotFound(id) : Status::Ok();
}

Status MysqlJobRepository::TransitionJob(const std::string& id, const Transition& transition) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  if (Status legal = core::CheckTransition(transition.from, transition); !legal.ok()) return legal;
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  MysqlConnection& connection = **lease;
  bool moved = false;
  // The status, the result and the pipeline's next job commit together: a reader that sees
  // COMPLETED finds the result, and a crash cannot leave the next job unqueued.
  auto move = [&] { return MoveJob(connection, id, transition, moved); };
  bool several_writes = transition.result || !transition.schedule_next_job_id.empty();
  Status status = several_writes ? InTransaction(connection, move) : move();
  if (!status.ok()) return status;
  if (moved) return Status::Ok();
  return ExplainMiss(connection, id, transition);
}

Result<std::vector<bool>> MysqlJobRepository::TransitionJobs(
    const std::vector<JobTransition>& changes) {
  std::vector<bool> applied(changes.size(), false);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  MysqlConnection& connection = **lease;
  // One transaction, so the whole batch costs one commit.
  Status status = InTransaction(connection, [&]() -> Status {
    for (std::size_t i = 0; i < changes.size(); ++i) {
      const auto& [id, transition] = changes[i];
      if (!core::IsUuid(id) || !IsLegalTransition(transition.from, transition.to)) continue;
      bool moved = false;
      if (Status written = MoveJob(connection, id, transition, moved); !written.ok()) {
        return written;
      }
      applied[i] = moved;
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return applied;
}

Result<Job> MysqlJobRepository::StartJob(const std::string& id, const Lease& lease) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  auto pooled = pool_->Acquire();
  if (!pooled.ok()) return pooled.status();
  MysqlConnection& connection = **pooled;
  std::optional<Job> started;
  // The UPDATE is the compare-and-set; reading the row back in the same transaction returns it as
  // this call left it, before anyone else can move it on.
  Status status = InTransaction(connection, [&]() -> Status {
    auto updated = connection.Run("kStartJob", kStartJob,
                                  {Micros(lease.at), lease.token, Micros(lease.expires_at), id});
    if (!updated.ok()) return updated.status();
    if (updated->AffectedRows() != 1) return Status::Ok();
    auto found = connection.Run("kGetJob", kGetJob, {id});
    if (!found.ok()) return found.status();
    if (found->rows() == 1) started = JobAt(*found, 0);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (started) return *std::move(started);
  auto current = JobState(connection, id);
  if (!current.ok()) return current.status();
  if (!*current) return core::JobNotFound(id);
  return Status::Conflict("job with ID: " + id + " cannot start: status is " +
                          std::string(JobStatusName((*current)->status)));
}

Result<std::vector<Job>> MysqlJobRepository::StartJobs(const std::vector<std::string>& ids,
                                                       const Lease& lease) {
  std::vector<std::string> uuids;
  for (const std::string& id : ids) {
    if (core::IsUuid(id)) uuids.push_back(id);
  }
  // Rows are locked in id order, so two claims of overlapping batches cannot deadlock.
  std::sort(uuids.begin(), uuids.end());
  uuids.erase(std::unique(uuids.begin(), uuids.end()), uuids.end());
  std::vector<Job> started;
  if (uuids.empty()) return started;
  auto pooled = pool_->Acquire();
  if (!pooled.ok()) return pooled.status();
  MysqlConnection& connection = **pooled;
  // StartJob's statements in one transaction: one commit for the batch.
  Status status = InTransaction(connection, [&]() -> Status {
    started.clear();
    for (const std::string& id : uuids) {
      auto updated = connection.Run("kStartJob", kStartJob,
                                    {Micros(lease.at), lease.token, Micros(lease.expires_at), id});
      if (!updated.ok()) return updated.status();
      if (updated->AffectedRows() != 1) continue;
      auto found = connection.Run("kGetJob", kGetJob, {id});
      if (!found.ok()) return found.status();
      if (found->rows() == 1) started.push_back(JobAt(*found, 0));
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return started;
}

Status MysqlJobRepository::RenewLease(const std::string& id, const std::string& token,
                                      TimePoint expires_at) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto renewed = (*lease)->Run("kRenewLease", kRenewLease, {Micros(expires_at), id, token});
  if (!renewed.ok()) return renewed.status();
  if (renewed->AffectedRows() == 1) return Status::Ok();
  return LeaseLost(**lease, id);
}

Status MysqlJobRepository::SetProgress(const std::string& id, const std::string& token,
                                       const Json& progress) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto set = (*lease)->Run("kSetProgress", kSetProgress, {JsonParam(progress), id, token});
  if (!set.ok()) return set.status();
  if (set->AffectedRows() == 1) return Status::Ok();
  return LeaseLost(**lease, id);
}

Status MysqlJobRepository::DeleteJob(const std::string& id) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  auto deleted = pool_->Run("kDeleteJob", kDeleteJob, {id});
  if (!deleted.ok()) return deleted.status();
  return deleted->AffectedRows() == 0 ? core::JobNotFound(id) : Status::Ok();
}

}  // namespace valet::adapters::mysql
