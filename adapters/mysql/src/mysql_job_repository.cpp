// Opening MysqlJobRepository, its results and its health. Jobs, pipelines and the sweeps live in
// mysql_jobs.cpp, mysql_pipelines.cpp and mysql_sweeps.cpp; the rows they share in mysql_rows.
#include "valet/adapters/mysql/mysql_job_repository.hpp"

#include <algorithm>

#include "mysql_pool.hpp"
#include "mysql_rows.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::mysql {

namespace {

constexpr const char* kGetResult =
    "SELECT job_id, metadata, error FROM valet_results WHERE job_id = ?";
constexpr const char* kDeleteResult = "DELETE FROM valet_results WHERE job_id = ?";

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

MysqlJobRepository::MysqlJobRepository(std::unique_ptr<MysqlPool> pool)
    : pool_(std::move(pool)), schedules_(*pool_), groups_(*pool_) {}

MysqlJobRepository::~MysqlJobRepository() = default;

Result<JobResult> MysqlJobRepository::GetResult(const std::string& job_id) {
  if (!core::IsUuid(job_id)) return core::ResultNotFound(job_id);
  auto found = pool_->Run("kGetResult", kGetResult, {job_id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return core::ResultNotFound(job_id);
  return JobResult{found->Text(0, 0), JsonAt(*found, 0, 1), found->Text(0, 2)};
}

Status MysqlJobRepository::DeleteResult(const std::string& job_id) {
  if (!core::IsUuid(job_id)) return core::ResultNotFound(job_id);
  auto deleted = pool_->Run("kDeleteResult", kDeleteResult, {job_id});
  if (!deleted.ok()) return deleted.status();
  return deleted->AffectedRows() == 0 ? core::ResultNotFound(job_id) : Status::Ok();
}

Status MysqlJobRepository::CheckHealth() {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  return (*lease)->Execute("SELECT 1").status();
}

}  // namespace valet::adapters::mysql
