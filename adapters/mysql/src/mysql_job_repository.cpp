#include "valet/adapters/mysql/mysql_job_repository.hpp"

#include <algorithm>

#include "mysql_migrations.hpp"
#include "mysql_pool.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::mysql {

namespace {

// Timestamps are stored as BIGINT microseconds since the epoch (see mysql_migrations.cpp).
#define VALET_JOB_COLUMNS                                                                 \
  "id, name, description, task_name, task_params, timeout, status, failure_reason, "      \
  "COALESCE(pipeline_id, ''), COALESCE(next_job_id, ''), COALESCE(previous_job_id, ''), " \
  "use_previous_results, run_at, scheduled_at, created_at, started_at, completed_at, seq"

#define VALET_PIPELINE_COLUMNS                                                                 \
  "p.id, p.name, p.description, p.status, p.run_at, p.created_at, p.started_at, "              \
  "p.completed_at, COALESCE((SELECT GROUP_CONCAT(j.id ORDER BY j.pipeline_position SEPARATOR " \
  "',') FROM valet_jobs j WHERE j.pipeline_id = p.id), '')"

constexpr const char* kInsertJob =
    "INSERT INTO valet_jobs (id, name, description, task_name, task_params, timeout, status, "
    "failure_reason, pipeline_id, pipeline_position, next_job_id, previous_job_id, "
    "use_previous_results, run_at, scheduled_at, created_at, started_at, completed_at) VALUES "
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kGetJob = "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs WHERE id = ?";
constexpr const char* kListJobs =
    "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs ORDER BY created_at, seq";
constexpr const char* kListJobsByStatus =
    "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs WHERE status = ? ORDER BY created_at, seq";
constexpr const char* kPatchJob =
    "UPDATE valet_jobs SET name = COALESCE(?, name), description = COALESCE(?, description) "
    "WHERE id = ?";
constexpr const char* kStartJob =
    "UPDATE valet_jobs SET status = 3, started_at = ? WHERE id = ? AND status IN (1, 2)";
constexpr const char* kDeleteJob = "DELETE FROM valet_jobs WHERE id = ?";
constexpr const char* kJobStatus = "SELECT status FROM valet_jobs WHERE id = ?";
constexpr const char* kPipelineStatus = "SELECT status FROM valet_pipelines WHERE id = ?";
// SKIP LOCKED passes over rows another claimer holds, so concurrent claimers never wait for
// each other and never take the same job (MariaDB 10.6+, MySQL 8.0.1+).
constexpr const char* kSelectDue =
    "SELECT id FROM valet_jobs WHERE status = 1 AND run_at IS NOT NULL AND run_at <= ? "
    "ORDER BY run_at, seq LIMIT ? FOR UPDATE SKIP LOCKED";
constexpr const char* kNextDue =
    "SELECT MIN(run_at) FROM valet_jobs WHERE status = 1 AND run_at IS NOT NULL";

#define VALET_TRANSITION_JOB(time_column)                                                \
  "UPDATE valet_jobs SET status = ?, " time_column                                       \
  " = ?, failure_reason = CASE WHEN ? = '' THEN failure_reason ELSE ? END WHERE id = ? " \
  "AND status = ?"
constexpr const char* kTransitionJobScheduled = VALET_TRANSITION_JOB("scheduled_at");
constexpr const char* kTransitionJobStarted = VALET_TRANSITION_JOB("started_at");
constexpr const char* kTransitionJobCompleted = VALET_TRANSITION_JOB("completed_at");
constexpr const char* kStoreResult =
    "INSERT INTO valet_results (job_id, metadata, error) VALUES (?, ?, ?) "
    "ON DUPLICATE KEY UPDATE metadata = VALUES(metadata), error = VALUES(error)";

constexpr const char* kInsertPipeline =
    "INSERT INTO valet_pipelines (id, name, description, status, run_at, created_at, started_at, "
    "completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
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
constexpr const char* kPatchPipeline =
    "UPDATE valet_pipelines SET name = COALESCE(?, name), "
    "description = COALESCE(?, description) WHERE id = ?";
constexpr const char* kTransitionPipelineStarted =
    "UPDATE valet_pipelines SET status = ?, started_at = ? WHERE id = ? AND status = ?";
constexpr const char* kTransitionPipelineCompleted =
    "UPDATE valet_pipelines SET status = ?, completed_at = ? WHERE id = ? AND status = ?";
constexpr const char* kDeletePipeline = "DELETE FROM valet_pipelines WHERE id = ?";

constexpr const char* kGetResult =
    "SELECT job_id, metadata, error FROM valet_results WHERE job_id = ?";
constexpr const char* kDeleteResult = "DELETE FROM valet_results WHERE job_id = ?";

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
          TimeParam(job.completed_at)};
}

Status IllegalTransition(const Transition& transition) {
  return Status::Conflict("illegal transition from " + std::string(JobStatusName(transition.from)) +
                          " to " + std::string(JobStatusName(transition.to)));
}

// Runs `body` in a transaction on `connection`: COMMIT if it returns Ok, ROLLBACK otherwise.
template <typename Body>
Status InTransaction(MysqlConnection& connection, Body body) {
  if (auto begun = connection.Execute("START TRANSACTION"); !begun.ok()) return begun.status();
  Status status = body();
  if (status.ok()) {
    if (auto committed = connection.Execute("COMMIT"); committed.ok())
      return status;
    else
      status = committed.status();
  }
  if (!connection.broken()) connection.Execute("ROLLBACK").status().IgnoreError();
  return status;
}

}  // namespace

Result<std::unique_ptr<MysqlJobRepository>> MysqlJobRepository::Open(const MysqlOptions& options) {
  auto endpoint = ParseDsn(options.dsn);
  if (!endpoint.ok()) return endpoint.status();
  std::string database = options.database.empty() ? endpoint->database : options.database;
  if (!options.database.empty() && !IsValidDatabaseName(options.database)) {
    return Status::InvalidArgument("mysql database \"" + options.database +
                                   "\" must be lower-case letters, digits and underscores");
  }
  PoolOptions pool_options = options.pool;
  pool_options.max_open = std::max(1, pool_options.max_open);
  pool_options.max_idle = std::max(0, pool_options.max_idle);
  auto setup =
      options.database.empty() ? DatabaseSetup::kUseExisting : DatabaseSetup::kCreateIfMissing;
  auto pool = std::make_unique<MysqlPool>(*endpoint, database, setup, pool_options);
  // The first connection creates and migrates the database. A server that cannot be reached now
  // is not fatal: calls answer kUnavailable until it can, and the first connection then migrates.
  if (auto lease = pool->Acquire();
      !lease.ok() && lease.status().code() != StatusCode::kUnavailable) {
    return lease.status();
  }
  return std::unique_ptr<MysqlJobRepository>(new MysqlJobRepository(std::move(pool)));
}

MysqlJobRepository::MysqlJobRepository(std::unique_ptr<MysqlPool> pool) : pool_(std::move(pool)) {}

MysqlJobRepository::~MysqlJobRepository() = default;

// Runs one prepared statement on a pooled connection.
#define VALET_RUN(result, statement, ...)                   \
  auto lease_##result = pool_->Acquire();                   \
  if (!lease_##result.ok()) return lease_##result.status(); \
  auto result = (*lease_##result)->Run(#statement, statement, __VA_ARGS__)

Status MysqlJobRepository::CreateJob(const Job& job) {
  if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
  VALET_RUN(inserted, kInsertJob, JobParams(job, std::nullopt));
  if (!inserted.ok() && inserted.status().code() == StatusCode::kConflict) {
    return Status::Conflict("job with ID: " + job.id + " already exists");
  }
  return inserted.status();
}

Result<Job> MysqlJobRepository::GetJob(const std::string& id) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  VALET_RUN(found, kGetJob, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::JobNotFound(id);
  return JobAt(*found, 0);
}

Result<std::vector<Job>> MysqlJobRepository::ListJobs(std::optional<JobStatus> status) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto found = status
                   ? (*lease)->Run("kListJobsByStatus", kListJobsByStatus, {StatusParam(*status)})
                   : (*lease)->Run("kListJobs", kListJobs, {});
  if (!found.ok()) return found.status();
  return JobsOf(*found);
}

Status MysqlJobRepository::PatchJob(const std::string& id, const JobInfoPatch& patch) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  VALET_RUN(patched, kPatchJob, {TextParam(patch.name), TextParam(patch.description), id});
  if (!patched.ok()) return patched.status();
  return patched->AffectedRows() == 0 ? core::JobNotFound(id) : Status::Ok();
}

namespace {

// Why a compare-and-set matched no row, asked on the connection the caller holds (a second one
// from the pool could wait forever when every connection is held by such a caller).
Status ExplainMiss(MysqlConnection& connection, const char* table, const std::string& id,
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

}  // namespace

Status MysqlJobRepository::TransitionJob(const std::string& id, const Transition& transition) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  if (!IsLegalTransition(transition.from, transition.to)) return IllegalTransition(transition);
  const char* name = "kTransitionJobCompleted";
  const char* sql = kTransitionJobCompleted;
  if (transition.to == JobStatus::kScheduled) {
    name = "kTransitionJobScheduled";
    sql = kTransitionJobScheduled;
  } else if (transition.to == JobStatus::kInProgress) {
    name = "kTransitionJobStarted";
    sql = kTransitionJobStarted;
  }
  MysqlParams params{StatusParam(transition.to),
                     Micros(transition.at),
                     transition.failure_reason,
                     transition.failure_reason,
                     id,
                     StatusParam(transition.from)};
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  MysqlConnection& connection = **lease;
  bool moved = false;
  // The status and the result commit together: a reader that sees COMPLETED finds the result.
  auto move = [&]() -> Status {
    auto updated = connection.Run(name, sql, params);
    if (!updated.ok()) return updated.status();
    moved = updated->AffectedRows() == 1;
    if (!moved || !transition.result) return Status::Ok();
    const JobResult& result = *transition.result;
    return connection
        .Run("kStoreResult", kStoreResult, {id, JsonParam(result.metadata), result.error})
        .status();
  };
  Status status = transition.result ? InTransaction(connection, move) : move();
  if (!status.ok()) return status;
  if (moved) return Status::Ok();
  return ExplainMiss(connection, "valet_jobs", id, transition);
}

Result<Job> MysqlJobRepository::StartJob(const std::string& id, TimePoint at) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  MysqlConnection& connection = **lease;
  std::optional<Job> started;
  // The UPDATE is the compare-and-set; reading the row back in the same transaction returns it as
  // this call left it, before anyone else can move it on.
  Status status = InTransaction(connection, [&]() -> Status {
    auto updated = connection.Run("kStartJob", kStartJob, {Micros(at), id});
    if (!updated.ok()) return updated.status();
    if (updated->AffectedRows() != 1) return Status::Ok();
    auto found = connection.Run("kGetJob", kGetJob, {id});
    if (!found.ok()) return found.status();
    if (found->rows() == 1) started = JobAt(*found, 0);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (started) return *std::move(started);
  Status miss = ExplainMiss(connection, "valet_jobs", id,
                            Transition{JobStatus::kPending, JobStatus::kInProgress, at, {}, {}});
  return Status(miss.code(), miss.code() == StatusCode::kConflict
                                 ? "job with ID: " + id + " cannot start: " + miss.message()
                                 : miss.message());
}

Status MysqlJobRepository::DeleteJob(const std::string& id) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  VALET_RUN(deleted, kDeleteJob, {id});
  if (!deleted.ok()) return deleted.status();
  return deleted->AffectedRows() == 0 ? core::JobNotFound(id) : Status::Ok();
}

Result<std::vector<Job>> MysqlJobRepository::ClaimDueJobs(TimePoint now, std::size_t limit) {
  if (limit == 0) return std::vector<Job>{};
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  MysqlConnection& connection = **lease;
  std::vector<Job> jobs;
  // There is no UPDATE ... RETURNING: lock the due rows, move them, and read them back, all in
  // one transaction (the shape of Oban's MySQL engine).
  Status status = InTransaction(connection, [&]() -> Status {
    auto due =
        connection.Run("kSelectDue", kSelectDue, {Micros(now), static_cast<long long>(limit)});
    if (!due.ok()) return due.status();
    if (due->rows() == 0) return Status::Ok();
    std::string placeholders;
    MysqlParams ids;
    for (int row = 0; row < due->rows(); ++row) {
      placeholders += row == 0 ? "?" : ", ?";
      ids.push_back(due->Text(row, 0));
    }
    // One prepared statement per batch size; there are at most `limit` of them per connection.
    std::string count = std::to_string(ids.size());
    std::string update =
        "UPDATE valet_jobs SET status = 2, scheduled_at = ? WHERE status = 1 "
        "AND id IN (" +
        placeholders + ")";
    MysqlParams update_params{Micros(now)};
    update_params.insert(update_params.end(), ids.begin(), ids.end());
    auto moved = connection.Run("kClaimDue" + count, update.c_str(), update_params);
    if (!moved.ok()) return moved.status();
    std::string select = "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs WHERE id IN (" +
                         placeholders + ") ORDER BY run_at, seq";
    auto claimed = connection.Run("kClaimedJobs" + count, select.c_str(), ids);
    if (!claimed.ok()) return claimed.status();
    jobs = JobsOf(*claimed);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return jobs;
}

Result<OptionalTime> MysqlJobRepository::NextDueTime() {
  VALET_RUN(next, kNextDue, {});
  if (!next.ok()) return next.status();
  return TimeAt(*next, 0, 0);
}

Status MysqlJobRepository::CreatePipeline(const Pipeline& pipeline, const std::vector<Job>& jobs) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  MysqlConnection& connection = **lease;
  Status status = InTransaction(connection, [&]() -> Status {
    auto inserted = connection.Run(
        "kInsertPipeline", kInsertPipeline,
        {pipeline.id, pipeline.name, pipeline.description, StatusParam(pipeline.status),
         TimeParam(pipeline.run_at), Micros(pipeline.created_at), TimeParam(pipeline.started_at),
         TimeParam(pipeline.completed_at)});
    if (!inserted.ok()) return inserted.status();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      auto job = connection.Run("kInsertJob", kInsertJob, JobParams(jobs[i], static_cast<int>(i)));
      if (!job.ok()) return job.status();
    }
    return Status::Ok();
  });
  if (status.code() == StatusCode::kConflict) {
    return Status::Conflict("pipeline with ID: " + pipeline.id + " or one of its jobs exists");
  }
  return status;
}

Result<Pipeline> MysqlJobRepository::GetPipeline(const std::string& id) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  VALET_RUN(found, kGetPipeline, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::PipelineNotFound(id);
  return PipelineAt(*found, 0);
}

Result<std::vector<Pipeline>> MysqlJobRepository::ListPipelines(std::optional<JobStatus> status) {
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
  VALET_RUN(patched, kPatchPipeline, {TextParam(patch.name), TextParam(patch.description), id});
  if (!patched.ok()) return patched.status();
  return patched->AffectedRows() == 0 ? core::PipelineNotFound(id) : Status::Ok();
}

Status MysqlJobRepository::TransitionPipeline(const std::string& id, const Transition& transition) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  if (!IsLegalTransition(transition.from, transition.to) ||
      transition.to == JobStatus::kScheduled) {
    return IllegalTransition(transition);
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
  return ExplainMiss(**lease, "valet_pipelines", id, transition);
}

Status MysqlJobRepository::DeletePipeline(const std::string& id) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  VALET_RUN(deleted, kDeletePipeline, {id});
  if (!deleted.ok()) return deleted.status();
  return deleted->AffectedRows() == 0 ? core::PipelineNotFound(id) : Status::Ok();
}

Result<JobResult> MysqlJobRepository::GetResult(const std::string& job_id) {
  if (!core::IsUuid(job_id)) return core::ResultNotFound(job_id);
  VALET_RUN(found, kGetResult, {job_id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::ResultNotFound(job_id);
  return JobResult{found->Text(0, 0), JsonAt(*found, 0, 1), found->Text(0, 2)};
}

Status MysqlJobRepository::DeleteResult(const std::string& job_id) {
  if (!core::IsUuid(job_id)) return core::ResultNotFound(job_id);
  VALET_RUN(deleted, kDeleteResult, {job_id});
  if (!deleted.ok()) return deleted.status();
  return deleted->AffectedRows() == 0 ? core::ResultNotFound(job_id) : Status::Ok();
}

Status MysqlJobRepository::CheckHealth() {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  return (*lease)->Execute("SELECT 1").status();
}

}  // namespace valet::adapters::mysql
