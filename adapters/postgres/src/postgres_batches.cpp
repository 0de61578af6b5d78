// The batched calls: many jobs stored, started or settled by one statement, each status change
// still its own compare-and-set.
#include <algorithm>

#include "pg_pool.hpp"
#include "pg_rows.hpp"
#include "valet/adapters/postgres/postgres_job_repository.hpp"
#include "valet/core/time_format.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::postgres {

namespace {

// kInsertJob of postgres_creates.cpp over the rows of unnest(), in the order given, so `seq`
// keeps the batch's order.
constexpr const char* kInsertJobs =
    "INSERT INTO valet_jobs (id, name, description, task_name, task_params, timeout, status, "
    "failure_reason, pipeline_id, pipeline_position, next_job_id, previous_job_id, "
    "use_previous_results, run_at, scheduled_at, created_at, started_at, completed_at, "
    "max_retries, attempt, attempts, lease_token, lease_expires_at, labels) "
    "SELECT c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, "
    "c19, c20, c21, c22, c23, c24 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], "
    "$5::json[], $6::integer[], $7::smallint[], $8::text[], $9::uuid[], $10::integer[], "
    "$11::uuid[], $12::uuid[], $13::boolean[], $14::timestamptz[], $15::timestamptz[], "
    "$16::timestamptz[], $17::timestamptz[], $18::timestamptz[], $19::integer[], $20::integer[], "
    "$21::json[], $22::text[], $23::timestamptz[], $24::jsonb[]) WITH ORDINALITY AS b(c1, c2, "
    "c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, "
    "c22, c23, c24, n) ORDER BY n";

constexpr const char* kStartJobs =
    "UPDATE valet_jobs SET status = 3, started_at = $2, lease_token = $3, lease_expires_at = $4, "
    "attempt = attempt + 1, progress = NULL WHERE id = ANY($1::uuid[]) AND status IN (1, 2) "
    "RETURNING " VALET_JOB_COLUMNS;

// kTransitionJob of postgres_lifecycle.cpp over the rows of unnest(): each change matches its
// job only in its `from` status (and under its lease when `token` is set), the results and the
// pipelines' next jobs follow the changes that matched, and `position` says which those were.
constexpr const char* kTransitionJobs =
    "WITH batch AS (SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::smallint[], "
    "$4::timestamptz[], $5::text[], $6::json[], $7::text[], $8::boolean[], $9::timestamptz[], "
    "$10::boolean[], $11::json[], $12::text[], $13::uuid[], $14::integer[]) AS b(id, "
    "from_status, to_status, at, reason, metadata, error, store_result, run_at, set_attempts, "
    "attempts, token, next_id, position)), "
    "moved AS (UPDATE valet_jobs j SET status = b.to_status, "
    "scheduled_at = CASE WHEN b.to_status = 2 THEN b.at ELSE j.scheduled_at END, "
    "started_at = CASE WHEN b.to_status = 3 THEN b.at ELSE j.started_at END, "
    "completed_at = CASE WHEN b.to_status >= 4 THEN b.at ELSE j.completed_at END, "
    "failure_reason = CASE WHEN b.reason = '' THEN j.failure_reason ELSE b.reason END, "
    "lease_token = CASE WHEN b.from_status = 3 THEN '' ELSE j.lease_token END, "
    "lease_expires_at = CASE WHEN b.from_status = 3 THEN NULL ELSE j.lease_expires_at END, "
    "run_at = CASE WHEN b.to_status = 1 THEN b.run_at ELSE j.run_at END, "
    "attempts = CASE WHEN b.set_attempts THEN b.attempts ELSE j.attempts END "
    "FROM batch b WHERE j.id = b.id AND j.status = b.from_status "
    "AND (b.token IS NULL OR j.lease_token = b.token) "
    "RETURNING b.id, b.metadata, b.error, b.store_result, b.next_id, b.at, b.position), "
    "stored AS (INSERT INTO valet_results (job_id, metadata, error) "
    "SELECT id, metadata, error FROM moved WHERE store_result "
    "ON CONFLICT (job_id) DO UPDATE SET metadata = excluded.metadata, error = excluded.error "
    "RETURNING job_id), "
    "next AS (UPDATE valet_jobs n SET status = 2, scheduled_at = m.at FROM moved m "
    "WHERE n.id = m.next_id AND n.status = 1 RETURNING n.id) "
    "SELECT position FROM moved";

// Fills the text of one array parameter per column, element by element.
class ArrayColumns {
 public:
  explicit ArrayColumns(std::size_t columns) : elements_(columns) {}
  void Add(std::size_t column, std::optional<std::string> element) {
    elements_[column].push_back(std::move(element));
  }
  PgParams Params() const {
    PgParams params;
    for (const auto& column : elements_) params.push_back(ArrayParam(column));
    return params;
  }

 private:
  std::vector<std::vector<std::optional<std::string>>> elements_;
};

}  // namespace

Status PostgresJobRepository::CreateJobs(const std::vector<Job>& jobs) {
  constexpr std::size_t kColumns = 24;
  ArrayColumns columns(kColumns);
  for (const Job& job : jobs) {
    if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
    PgParams values = JobParams(job, std::nullopt);
    for (std::size_t column = 0; column < kColumns; ++column) {
      columns.Add(column, std::move(values[column]));
    }
  }
  if (jobs.empty()) return Status::Ok();
  VALET_RUN(inserted, kInsertJobs, columns.Params());
  if (!inserted.ok() && inserted.status().code() == StatusCode::kConflict) {
    return Status::Conflict("a job of the batch exists already: " + inserted.status().message());
  }
  return inserted.status();
}

Result<std::vector<Job>> PostgresJobRepository::StartJobs(const std::vector<std::string>& ids,
                                                          const Lease& lease) {
  // Rows are locked in id order, so two claims of overlapping batches cannot deadlock.
  std::vector<std::optional<std::string>> uuids;
  for (const std::string& id : ids) {
    if (core::IsUuid(id)) uuids.emplace_back(id);
  }
  if (uuids.empty()) return std::vector<Job>{};
  std::sort(uuids.begin(), uuids.end());
  VALET_RUN(started, kStartJobs,
            {ArrayParam(uuids), core::FormatTime(lease.at), lease.token,
             core::FormatTime(lease.expires_at)});
  if (!started.ok()) return started.status();
  return JobsOf(*started);
}

Result<std::vector<bool>> PostgresJobRepository::TransitionJobs(
    const std::vector<JobTransition>& changes) {
  std::vector<bool> applied(changes.size(), false);
  ArrayColumns columns(14);
  std::size_t sent = 0;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const std::string& id = changes[i].job_id;
    const Transition& transition = changes[i].transition;
    // An id that is not a UUID names no job; an illegal change is never applied.
    if (!core::IsUuid(id) || !IsLegalTransition(transition.from, transition.to)) continue;
    const JobResult* result = transition.result ? &*transition.result : nullptr;
    const std::string& next = transition.schedule_next_job_id;
    columns.Add(0, id);
    columns.Add(1, StatusParam(transition.from));
    columns.Add(2, StatusParam(transition.to));
    columns.Add(3, core::FormatTime(transition.at));
    columns.Add(4, transition.failure_reason);
    columns.Add(5, result ? JsonParam(result->metadata) : std::nullopt);
    columns.Add(6, result ? result->error : std::string());
    columns.Add(7, result ? "true" : "false");
    columns.Add(8, TimeParam(transition.run_at));
    columns.Add(9, transition.attempts ? "true" : "false");
    columns.Add(10, transition.attempts ? JsonParam(*transition.attempts) : std::nullopt);
    columns.Add(11, transition.lease_token);
    columns.Add(12, core::IsUuid(next) ? std::optional(next) : std::nullopt);
    columns.Add(13, std::to_string(i));
    ++sent;
  }
  if (sent == 0) return applied;
  VALET_RUN(moved, kTransitionJobs, columns.Params());
  if (!moved.ok()) return moved.status();
  for (int row = 0; row < moved->rows(); ++row) {
    applied[static_cast<std::size_t>(moved->Integer(row, 0))] = true;
  }
  return applied;
}

}  // namespace valet::adapters::postgres
