// Retention's reads: finished jobs of no pipeline and finished pipelines, by completion, from
// the `finished_at` columns of migration 8 and their indexes.
#include "mysql_pool.hpp"
#include "mysql_rows.hpp"
#include "valet/adapters/mysql/mysql_job_repository.hpp"

namespace valet::adapters::mysql {

namespace {

constexpr const char* kListFinishedJobs =
    "SELECT id FROM valet_jobs WHERE finished_at < ? ORDER BY finished_at, seq LIMIT ?";
constexpr const char* kListFinishedPipelines =
    "SELECT id FROM valet_pipelines WHERE finished_at < ? ORDER BY finished_at, seq LIMIT ?";
constexpr const char* kNthLatestFinishedJob =
    "SELECT finished_at FROM valet_jobs WHERE finished_at IS NOT NULL "
    "ORDER BY finished_at DESC, seq DESC LIMIT 1 OFFSET ?";
constexpr const char* kNthLatestFinishedPipeline =
    "SELECT finished_at FROM valet_pipelines WHERE finished_at IS NOT NULL "
    "ORDER BY finished_at DESC, seq DESC LIMIT 1 OFFSET ?";

}  // namespace

Result<std::vector<std::string>> MysqlJobRepository::ListFinished(FinishedKind kind,
                                                                  TimePoint before,
                                                                  std::size_t limit) {
  MysqlParams params{Micros(before), static_cast<long long>(limit)};
  auto found = kind == FinishedKind::kJobs
                   ? pool_->Run("kListFinishedJobs", kListFinishedJobs, params)
                   : pool_->Run("kListFinishedPipelines", kListFinishedPipelines, params);
  if (!found.ok()) return found.status();
  std::vector<std::string> ids;
  for (int row = 0; row < found->rows(); ++row) ids.push_back(found->Text(row, 0));
  return ids;
}

Result<OptionalTime> MysqlJobRepository::NthLatestFinish(FinishedKind kind, std::size_t n) {
  if (n == 0) return OptionalTime{};
  MysqlParams params{static_cast<long long>(n - 1)};
  auto found = kind == FinishedKind::kJobs
                   ? pool_->Run("kNthLatestFinishedJob", kNthLatestFinishedJob, params)
                   : pool_->Run("kNthLatestFinishedPipeline", kNthLatestFinishedPipeline, params);
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return OptionalTime{};
  return TimeAt(*found, 0, 0);
}

}  // namespace valet::adapters::mysql
