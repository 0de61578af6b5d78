// Retention's reads: finished jobs of no pipeline and finished pipelines, by completion, from
// the partial indexes of migration 9.
#include "pg_pool.hpp"
#include "pg_rows.hpp"
#include "valet/adapters/postgres/postgres_job_repository.hpp"
#include "valet/core/time_format.hpp"

namespace valet::adapters::postgres {

namespace {

constexpr const char* kListFinishedJobs =
    "SELECT id::text FROM valet_jobs WHERE status >= 4 AND pipeline_id IS NULL "
    "AND completed_at < $1 ORDER BY completed_at, seq LIMIT $2";
constexpr const char* kListFinishedPipelines =
    "SELECT id::text FROM valet_pipelines WHERE status >= 4 AND completed_at < $1 "
    "ORDER BY completed_at, seq LIMIT $2";
constexpr const char* kNthLatestFinishedJob =
    "SELECT " VALET_MICROS("completed_at") " FROM valet_jobs WHERE status >= 4 "
    "AND pipeline_id IS NULL AND completed_at IS NOT NULL "
    "ORDER BY completed_at DESC, seq DESC OFFSET $1 LIMIT 1";
constexpr const char* kNthLatestFinishedPipeline =
    "SELECT " VALET_MICROS("completed_at") " FROM valet_pipelines WHERE status >= 4 "
    "AND completed_at IS NOT NULL ORDER BY completed_at DESC, seq DESC OFFSET $1 LIMIT 1";

}  // namespace

Result<std::vector<std::string>> PostgresJobRepository::ListFinished(FinishedKind kind,
                                                                     TimePoint before,
                                                                     std::size_t limit) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  PgParams params{core::FormatTime(before), LimitParam(limit)};
  auto found = kind == FinishedKind::kJobs
                   ? (*lease)->Run("kListFinishedJobs", kListFinishedJobs, params)
                   : (*lease)->Run("kListFinishedPipelines", kListFinishedPipelines, params);
  if (!found.ok()) return found.status();
  std::vector<std::string> ids;
  for (int row = 0; row < found->rows(); ++row) ids.push_back(found->Text(row, 0));
  return ids;
}

Result<OptionalTime> PostgresJobRepository::NthLatestFinish(FinishedKind kind, std::size_t n) {
  if (n == 0) return OptionalTime{};
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  PgParams params{LimitParam(n - 1)};
  auto found =
      kind == FinishedKind::kJobs
          ? (*lease)->Run("kNthLatestFinishedJob", kNthLatestFinishedJob, params)
          : (*lease)->Run("kNthLatestFinishedPipeline", kNthLatestFinishedPipeline, params);
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return OptionalTime{};
  return TimeAt(*found, 0, 0);
}

}  // namespace valet::adapters::postgres
