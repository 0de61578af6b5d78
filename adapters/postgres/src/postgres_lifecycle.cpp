// Status changes of jobs and pipelines: transitions, a worker's start and lease, and the claims
// of due and stranded jobs.
#include <algorithm>

#include "pg_pool.hpp"
#include "pg_rows.hpp"
#include "valet/adapters/postgres/postgres_job_repository.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/time_format.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::postgres {

namespace {

// A job's status change, its result and the hand-over to the pipeline's next job in one
// statement: the result row and the next job's move to SCHEDULED are written only if the
// compare-and-set (status, and the lease when $12 is set) matched, and the count says whether it
// did. Leaving IN_PROGRESS drops the lease; back to PENDING sets run_at, which puts a retry in
// the due index.
constexpr const char* kTransitionJob =
    "WITH moved AS (UPDATE valet_jobs SET status = $3::smallint, "
    "scheduled_at = CASE WHEN $3::smallint = 2 THEN $4::timestamptz ELSE scheduled_at END, "
    "started_at = CASE WHEN $3::smallint = 3 THEN $4::timestamptz ELSE started_at END, "
    "completed_at = CASE WHEN $3::smallint >= 4 THEN $4::timestamptz ELSE completed_at END, "
    "failure_reason = CASE WHEN $5::text = '' THEN failure_reason ELSE $5::text END, "
    "lease_token = CASE WHEN $2::smallint = 3 THEN '' ELSE lease_token END, "
    "lease_expires_at = CASE WHEN $2::smallint = 3 THEN NULL ELSE lease_expires_at END, "
    "run_at = CASE WHEN $3::smallint = 1 THEN $9::timestamptz ELSE run_at END, "
    "attempts = CASE WHEN $10::boolean THEN $11::json ELSE attempts END "
    "WHERE id = $1 AND status = $2::smallint AND ($12::text IS NULL OR lease_token = $12::text) "
    "RETURNING id), "
    "stored AS (INSERT INTO valet_results (job_id, metadata, error) "
    "SELECT id, $6::json, $7 FROM moved WHERE $8::boolean "
    "ON CONFLICT (job_id) DO UPDATE SET metadata = excluded.metadata, error = excluded.error "
    "RETURNING job_id), "
    "next AS (UPDATE valet_jobs SET status = 2, scheduled_at = $4::timestamptz "
    "WHERE id = $13::uuid AND status = 1 AND EXISTS (SELECT 1 FROM moved) RETURNING id) "
    "SELECT count(*) FROM moved";
constexpr const char* kJobState = "SELECT status, lease_token FROM valet_jobs WHERE id = $1";
constexpr const char* kStartJob =
    "UPDATE valet_jobs SET status = 3, started_at = $2, lease_token = $3, lease_expires_at = $4, "
    "attempt = attempt + 1, progress = NULL WHERE id = $1 AND status IN (1, 2) "
    "RETURNING " VALET_JOB_COLUMNS;
constexpr const char* kSetProgress =
    "UPDATE valet_jobs SET progress = $3::json WHERE id = $1 AND status = 3 AND lease_token = $2";
constexpr const char* kRenewLease =
    "UPDATE valet_jobs SET lease_expires_at = $3 "
    "WHERE id = $1 AND status = 3 AND lease_token = $2";
// The expression of the valet_jobs_leases index (migration 4): jobs without a lease sort first.
#define VALET_LEASE_KEY "coalesce(lease_expires_at, '-infinity')"
constexpr const char* kListExpiredLeases =
    "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs WHERE status = 3 AND " VALET_LEASE_KEY
    " <= $1 ORDER BY " VALET_LEASE_KEY ", seq LIMIT $2";
constexpr const char* kClaimDue =
    "WITH due AS (SELECT id AS due_id FROM valet_jobs WHERE status = 1 AND run_at IS NOT NULL "
    "AND run_at <= $1 ORDER BY run_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED) "
    "UPDATE valet_jobs SET status = 2, scheduled_at = $1 FROM due WHERE id = due_id "
    "RETURNING " VALET_JOB_COLUMNS;
constexpr const char* kNextDue = "SELECT " VALET_MICROS(
    "min(run_at)") " FROM valet_jobs WHERE status = 1 AND run_at IS NOT NULL";
// Each status is read in creation order from its own range of valet_jobs_by_status, so neither
// part reads more than the jobs of its status; the two are merged and cut to the limit. Rows
// locked but cut are released when the statement ends.
constexpr const char* kClaimStranded =
    "WITH pending AS (SELECT id, created_at, seq FROM valet_jobs WHERE status = 1 "
    "AND created_at < $1 AND run_at IS NULL AND previous_job_id IS NULL "
    "ORDER BY created_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED), "
    "scheduled AS (SELECT id, created_at, seq FROM valet_jobs WHERE status = 2 "
    "AND scheduled_at < $1 ORDER BY created_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED), "
    "stranded AS (SELECT id AS stranded_id FROM (SELECT * FROM pending UNION ALL "
    "SELECT * FROM scheduled) candidates ORDER BY created_at, seq LIMIT $3) "
    "UPDATE valet_jobs SET status = 2, scheduled_at = $2 FROM stranded WHERE id = stranded_id "
    "RETURNING " VALET_JOB_COLUMNS;

constexpr const char* kPipelineStatus = "SELECT status FROM valet_pipelines WHERE id = $1";
constexpr const char* kTransitionPipelineStarted =
    "UPDATE valet_pipelines SET status = $3, started_at = $4 WHERE id = $1 AND status = $2";
constexpr const char* kTransitionPipelineCompleted =
    "UPDATE valet_pipelines SET status = $3, completed_at = $4 WHERE id = $1 AND status = $2";

Status Illegal(const Transition& transition) {
  return Status::Conflict("illegal transition from " + std::string(JobStatusName(transition.from)) +
                          " to " + std::string(JobStatusName(transition.to)));
}

Status WrongStatus(JobStatus current, const Transition& transition) {
  return Status::Conflict("status is " + std::string(JobStatusName(current)) + ", not " +
                          std::string(JobStatusName(transition.from)));
}

// Why a job's compare-and-set matched no row. Every question below is asked on the connection
// the caller holds (a second one from the pool could wait forever when every connection is held
// by such a caller).
Status ExplainJobMiss(PgConnection& connection, const std::string& id,
                      const Transition& transition) {
  auto found = connection.Run("kJobState", kJobState, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::JobNotFound(id);
  auto current = static_cast<JobStatus>(found->Integer(0, 0));
  if (current == transition.from && transition.lease_token &&
      *transition.lease_token != found->Text(0, 1)) {
    return Status::Conflict("the job's lease is held by another attempt");
  }
  return WrongStatus(current, transition);
}

Status ExplainPipelineMiss(PgConnection& connection, const std::string& id,
                           const Transition& transition) {
  auto found = connection.Run("kPipelineStatus", kPipelineStatus, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::PipelineNotFound(id);
  return WrongStatus(static_cast<JobStatus>(found->Integer(0, 0)), transition);
}

// UPDATE ... RETURNING gives no order: the jobs by `key`, then by creation.
template <typename Key>
std::vector<Job> OrderedJobs(const PgResult& rows, Key key) {
  std::vector<std::pair<long long, Job>> ordered;
  for (int row = 0; row < rows.rows(); ++row) {
    ordered.emplace_back(rows.Integer(row, kJobSeqColumn), JobAt(rows, row));
  }
  std::sort(ordered.begin(), ordered.end(), [&](const auto& a, const auto& b) {
    return std::pair(key(a.second), a.first) < std::pair(key(b.second), b.first);
  });
  std::vector<Job> jobs;
  jobs.reserve(ordered.size());
  for (auto& [seq, job] : ordered) jobs.push_back(std::move(job));
  return jobs;
}

// A write fenced by a lease changed no row: the job is gone, or no longer held under the lease.
Status LeaseLost(PgConnection& connection, const std::string& id) {
  auto found = connection.Run("kJobState", kJobState, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::JobNotFound(id);
  return Status::Conflict("job with ID: " + id + " is no longer held under this lease");
}

}  // namespace

Status PostgresJobRepository::TransitionJob(const std::string& id, const Transition& transition) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  if (!IsLegalTransition(transition.from, transition.to)) return Illegal(transition);
  const JobResult* result = transition.result ? &*transition.result : nullptr;
  // An id that is not a UUID names no job, so there is none to schedule.
  const std::string& next = transition.schedule_next_job_id;
  std::optional<std::string> next_id = core::IsUuid(next) ? std::optional(next) : std::nullopt;
  PgParams params{id,
                  StatusParam(transition.from),
                  StatusParam(transition.to),
                  core::FormatTime(transition.at),
                  transition.failure_reason,
                  result ? JsonParam(result->metadata) : std::nullopt,
                  result ? result->error : std::string(),
                  result ? "true" : "false",
                  TimeParam(transition.run_at),
                  transition.attempts ? "true" : "false",
                  transition.attempts ? JsonParam(*transition.attempts) : std::nullopt,
                  transition.lease_token,
                  next_id};
  VALET_RUN(moved, kTransitionJob, params);
  if (!moved.ok()) return moved.status();
  if (moved->Integer(0, 0) == 1) return Status::Ok();
  return ExplainJobMiss(**lease_moved, id, transition);
}

Result<Job> PostgresJobRepository::StartJob(const std::string& id, const Lease& lease) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  VALET_RUN(started, kStartJob,
            {id, core::FormatTime(lease.at), lease.token, core::FormatTime(lease.expires_at)});
  if (!started.ok()) return started.status();
  if (started->rows() == 1) return JobAt(*started, 0);
  auto found = (*lease_started)->Run("kJobState", kJobState, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::JobNotFound(id);
  auto current = static_cast<JobStatus>(found->Integer(0, 0));
  return Status::Conflict("job with ID: " + id + " cannot start: status is " +
                          std::string(JobStatusName(current)));
}

Status PostgresJobRepository::RenewLease(const std::string& id, const std::string& token,
                                         TimePoint expires_at) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  VALET_RUN(renewed, kRenewLease, {id, token, core::FormatTime(expires_at)});
  if (!renewed.ok()) return renewed.status();
  if (renewed->AffectedRows() == 1) return Status::Ok();
  return LeaseLost(**lease_renewed, id);
}

Status PostgresJobRepository::SetProgress(const std::string& id, const std::string& token,
                                          const Json& progress) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  VALET_RUN(set, kSetProgress, {id, token, JsonParam(progress)});
  if (!set.ok()) return set.status();
  if (set->AffectedRows() == 1) return Status::Ok();
  return LeaseLost(**lease_set, id);
}

Result<std::vector<Job>> PostgresJobRepository::ListExpiredLeases(TimePoint now,
                                                                  std::size_t limit) {
  VALET_RUN(expired, kListExpiredLeases, {core::FormatTime(now), LimitParam(limit)});
  if (!expired.ok()) return expired.status();
  return JobsOf(*expired);
}

Result<std::vector<Job>> PostgresJobRepository::ClaimDueJobs(TimePoint now, std::size_t limit) {
  VALET_RUN(claimed, kClaimDue, {core::FormatTime(now), LimitParam(limit)});
  if (!claimed.ok()) return claimed.status();
  return OrderedJobs(*claimed, [](const Job& job) { return *job.run_at; });
}

Result<OptionalTime> PostgresJobRepository::NextDueTime() {
  VALET_RUN(next, kNextDue, {});
  if (!next.ok()) return next.status();
  return TimeAt(*next, 0, 0);
}

Result<std::vector<Job>> PostgresJobRepository::ClaimStrandedJobs(TimePoint queued_before,
                                                                  TimePoint now,
                                                                  std::size_t limit) {
  VALET_RUN(claimed, kClaimStranded,
            {core::FormatTime(queued_before), core::FormatTime(now), LimitParam(limit)});
  if (!claimed.ok()) return claimed.status();
  return OrderedJobs(*claimed, [](const Job& job) { return job.created_at; });
}

Status PostgresJobRepository::TransitionPipeline(const std::string& id,
                                                 const Transition& transition) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  // A pipeline never becomes SCHEDULED and never goes back to PENDING.
  if (!IsLegalTransition(transition.from, transition.to) ||
      transition.to == JobStatus::kScheduled || transition.to == JobStatus::kPending) {
    return Illegal(transition);
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
  return ExplainPipelineMiss(**lease, id, transition);
}

}  // namespace valet::adapters::postgres
