// Storing jobs and pipelines, with or without an Idempotency-Key.
#include "pg_pool.hpp"
#include "pg_rows.hpp"
#include "valet/adapters/postgres/postgres_job_repository.hpp"
#include "valet/core/time_format.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::postgres {

namespace {

constexpr const char* kInsertJob =
    "INSERT INTO valet_jobs (id, name, description, task_name, task_params, timeout, status, "
    "failure_reason, pipeline_id, pipeline_position, next_job_id, previous_job_id, "
    "use_previous_results, run_at, scheduled_at, created_at, started_at, completed_at, "
    "max_retries, attempt, attempts, lease_token, lease_expires_at, labels) VALUES "
    "($1, $2, $3, $4, $5::json, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
    "$19, $20, $21::json, $22, $23, $24::jsonb)";
constexpr const char* kInsertPipeline =
    "INSERT INTO valet_pipelines (id, name, description, status, run_at, created_at, started_at, "
    "completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

// A key is held while its row lives (it goes with the record that holds it) and has not expired
// by the new record's creation ($2). Taking a key over writes a row only where no live holder
// exists: under a concurrent create with the same key, the upsert waits for the other
// transaction and then re-checks the condition on the row it committed, so the loser writes
// nothing and finds the winner's record on its next look-up.
constexpr const char* kJobKeyHolder =
    "SELECT job_id::text FROM valet_job_keys WHERE key = decode($1, 'hex') AND expires_at > $2";
constexpr const char* kTakeJobKey =
    "INSERT INTO valet_job_keys (key, job_id, expires_at) VALUES (decode($1, 'hex'), $3, $4) "
    "ON CONFLICT (key) DO UPDATE SET job_id = excluded.job_id, expires_at = excluded.expires_at "
    "WHERE valet_job_keys.expires_at <= $2 RETURNING job_id";
constexpr const char* kPipelineKeyHolder =
    "SELECT pipeline_id::text FROM valet_pipeline_keys "
    "WHERE key = decode($1, 'hex') AND expires_at > $2";
constexpr const char* kTakePipelineKey =
    "INSERT INTO valet_pipeline_keys (key, pipeline_id, expires_at) "
    "VALUES (decode($1, 'hex'), $3, $4) ON CONFLICT (key) DO UPDATE SET "
    "pipeline_id = excluded.pipeline_id, expires_at = excluded.expires_at "
    "WHERE valet_pipeline_keys.expires_at <= $2 RETURNING pipeline_id";

// How often a create looks for the key's holder before it gives up: a look-up misses only when
// the holder it lost to was deleted in between.
constexpr int kKeyRounds = 3;

struct KeyStatements {
  const char* holder_name;
  const char* holder;
  const char* take_name;
  const char* take;
};

constexpr KeyStatements kJobKeys{"kJobKeyHolder", kJobKeyHolder, "kTakeJobKey", kTakeJobKey};
constexpr KeyStatements kPipelineKeys{"kPipelineKeyHolder", kPipelineKeyHolder, "kTakePipelineKey",
                                      kTakePipelineKey};

Status InsertJob(PgConnection& connection, const Job& job, std::optional<int> position) {
  auto inserted = connection.Run("kInsertJob", kInsertJob, JobParams(job, position));
  if (!inserted.ok() && inserted.status().code() == StatusCode::kConflict) {
    return Status::Conflict("job with ID: " + job.id + " already exists");
  }
  return inserted.status();
}

// The pipeline and its jobs, inside the caller's transaction.
Status InsertPipeline(PgConnection& connection, const Pipeline& pipeline,
                      const std::vector<Job>& jobs) {
  auto inserted = connection.Run(
      "kInsertPipeline", kInsertPipeline,
      {pipeline.id, pipeline.name, pipeline.description, StatusParam(pipeline.status),
       TimeParam(pipeline.run_at), core::FormatTime(pipeline.created_at),
       TimeParam(pipeline.started_at), TimeParam(pipeline.completed_at)});
  Status status = inserted.status();
  for (std::size_t i = 0; status.ok() && i < jobs.size(); ++i) {
    status =
        connection.Run("kInsertJob", kInsertJob, JobParams(jobs[i], static_cast<int>(i))).status();
  }
  if (status.code() == StatusCode::kConflict) {
    return Status::Conflict("pipeline with ID: " + pipeline.id + " or one of its jobs exists");
  }
  return status;
}

// Stores a record under `key` unless a live holder has it, and returns the id of the record that
// holds the key. `insert` stores the record (with id `id`, created at `created_at`) inside the
// transaction that also takes the key.
template <typename Insert>
Result<std::string> CreateOnce(PgConnection& connection, const KeyStatements& statements,
                               const std::string& id, TimePoint created_at,
                               const IdempotencyKey& key, Insert insert) {
  std::string key_bytes = BytesParam(key.key);
  std::string created = core::FormatTime(created_at);
  for (int round = 0; round < kKeyRounds; ++round) {
    auto holder = connection.Run(statements.holder_name, statements.holder, {key_bytes, created});
    if (!holder.ok()) return holder.status();
    if (holder->rows() == 1) return holder->Text(0, 0);
    PgTransaction transaction(connection);
    if (Status begun = transaction.Begin(); !begun.ok()) return begun;
    if (Status inserted = insert(); !inserted.ok()) return inserted;
    auto taken = connection.Run(statements.take_name, statements.take,
                                {key_bytes, created, id, core::FormatTime(key.expires_at)});
    if (!taken.ok()) return taken.status();
    if (taken->rows() == 1) {
      if (Status committed = transaction.Commit(); !committed.ok()) return committed;
      return id;
    }
    // Another create took the key since the look-up: ours is rolled back, and the next round
    // finds theirs.
  }
  return Status::Unavailable("the idempotency key is changing hands too fast; try again");
}

}  // namespace

Status PostgresJobRepository::CreateJob(const Job& job) {
  if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  return InsertJob(**lease, job, std::nullopt);
}

Result<std::string> PostgresJobRepository::CreateJobOnce(const Job& job,
                                                         const IdempotencyKey& key) {
  if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  PgConnection& connection = **lease;
  return CreateOnce(connection, kJobKeys, job.id, job.created_at, key,
                    [&] { return InsertJob(connection, job, std::nullopt); });
}

Status PostgresJobRepository::CreatePipeline(const Pipeline& pipeline,
                                             const std::vector<Job>& jobs) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  PgTransaction transaction(**lease);
  if (Status begun = transaction.Begin(); !begun.ok()) return begun;
  if (Status inserted = InsertPipeline(**lease, pipeline, jobs); !inserted.ok()) return inserted;
  return transaction.Commit();
}

Result<std::string> PostgresJobRepository::CreatePipelineOnce(const Pipeline& pipeline,
                                                              const std::vector<Job>& jobs,
                                                              const IdempotencyKey& key) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  PgConnection& connection = **lease;
  return CreateOnce(connection, kPipelineKeys, pipeline.id, pipeline.created_at, key,
                    [&] { return InsertPipeline(connection, pipeline, jobs); });
}

}  // namespace valet::adapters::postgres
