// The sweeps of MysqlJobRepository: due jobs, stranded jobs and expired leases. Each is a range
// over an index of migration 2 or 3, in the order it returns.
#include "mysql_pool.hpp"
#include "mysql_rows.hpp"
#include "valet/adapters/mysql/mysql_job_repository.hpp"

namespace valet::adapters::mysql {

namespace {

// SKIP LOCKED passes over rows another claimer holds, so concurrent claimers never wait for
// each other and never take the same job (MariaDB 10.6+, MySQL 8.0.1+).
constexpr const char* kSelectDue =
    "SELECT id FROM valet_jobs WHERE status = 1 AND run_at IS NOT NULL AND run_at <= ? "
    "ORDER BY run_at, seq LIMIT ? FOR UPDATE SKIP LOCKED";
constexpr const char* kNextDue =
    "SELECT MIN(run_at) FROM valet_jobs WHERE status = 1 AND run_at IS NOT NULL";
// Empty ids are stored as NULL, so `previous_job_id IS NULL` is "not waiting for a pipeline job"
// and keeps the index's order by creation.
constexpr const char* kSelectStrandedPending =
    "SELECT id FROM valet_jobs WHERE status = 1 AND run_at IS NULL AND previous_job_id IS NULL "
    "AND created_at < ? ORDER BY created_at, seq LIMIT ? FOR UPDATE SKIP LOCKED";
constexpr const char* kSelectStrandedScheduled =
    "SELECT id FROM valet_jobs WHERE status = 2 AND scheduled_at < ? "
    "ORDER BY scheduled_at, seq LIMIT ? FOR UPDATE SKIP LOCKED";
// NULL sorts first: a job running from before leases has none and counts as expired.
constexpr const char* kListExpiredLeases =
    "SELECT " VALET_JOB_COLUMNS
    " FROM valet_jobs WHERE status = 3 AND (lease_expires_at IS NULL OR lease_expires_at <= ?) "
    "ORDER BY lease_expires_at, seq LIMIT ?";

// Adds the ids a SELECT id ... returned to `ids`.
void AddIds(const MysqlResult& selected, MysqlParams& ids) {
  for (int row = 0; row < selected.rows(); ++row) ids.push_back(selected.Text(row, 0));
}

// Moves the jobs `ids`, which this transaction has locked, to SCHEDULED at `now` and reads them
// back in `order` with the statement `name`. There is no UPDATE ... RETURNING, so a claim locks
// its rows, moves them and reads them back in one transaction (the shape of Oban's MySQL engine).
// The id lists are padded to a power of two with the last id, so a connection prepares a handful
// of statements rather than one per batch size.
Result<std::vector<Job>> MarkScheduled(MysqlConnection& connection, MysqlParams ids, TimePoint now,
                                       const std::string& name, const char* order) {
  std::size_t size = 1;
  while (size < ids.size()) size *= 2;
  MysqlValue last = ids.back();
  ids.resize(size, last);
  std::string placeholders = "?";
  for (std::size_t i = 1; i < size; ++i) placeholders += ", ?";
  std::string count = std::to_string(size);

  std::string update =
      "UPDATE valet_jobs SET status = 2, scheduled_at = ? WHERE status IN (1, 2) AND id IN (" +
      placeholders + ")";
  MysqlParams update_params{Micros(now)};
  update_params.insert(update_params.end(), ids.begin(), ids.end());
  auto moved = connection.Run("kMarkScheduled" + count, update.c_str(), update_params);
  if (!moved.ok()) return moved.status();
  std::string select = "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs WHERE id IN (" + placeholders +
                       ") ORDER BY " + order;
  auto claimed = connection.Run(name + count, select.c_str(), ids);
  if (!claimed.ok()) return claimed.status();
  return JobsOf(*claimed);
}

}  // namespace

Result<std::vector<Job>> MysqlJobRepository::ClaimDueJobs(TimePoint now, std::size_t limit) {
  if (limit == 0) return std::vector<Job>{};
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  MysqlConnection& connection = **lease;
  std::vector<Job> jobs;
  Status status = InRetriedTransaction(connection, [&]() -> Status {
    auto due =
        connection.Run("kSelectDue", kSelectDue, {Micros(now), static_cast<long long>(limit)});
    if (!due.ok()) return due.status();
    if (due->rows() == 0) return Status::Ok();
    MysqlParams ids;
    AddIds(*due, ids);
    auto claimed = MarkScheduled(connection, std::move(ids), now, "kClaimedDueJobs", "run_at, seq");
    if (!claimed.ok()) return claimed.status();
    jobs = *std::move(claimed);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return jobs;
}

Result<OptionalTime> MysqlJobRepository::NextDueTime() {
  auto next = pool_->Run("kNextDue", kNextDue, {});
  if (!next.ok()) return next.status();
  return TimeAt(*next, 0, 0);
}

Result<std::vector<Job>> MysqlJobRepository::ClaimStrandedJobs(TimePoint queued_before,
                                                               TimePoint now, std::size_t limit) {
  if (limit == 0) return std::vector<Job>{};
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  MysqlConnection& connection = **lease;
  std::vector<Job> jobs;
  // The PENDING side first, the SCHEDULED side fills what is left of `limit`: each locking read
  // stops at its LIMIT in index order, so no row is locked that is not claimed.
  Status status = InRetriedTransaction(connection, [&]() -> Status {
    auto stranded = connection.Run("kSelectStrandedPending", kSelectStrandedPending,
                                   {Micros(queued_before), static_cast<long long>(limit)});
    if (!stranded.ok()) return stranded.status();
    MysqlParams ids;
    AddIds(*stranded, ids);
    if (ids.size() < limit) {
      auto queued =
          connection.Run("kSelectStrandedScheduled", kSelectStrandedScheduled,
                         {Micros(queued_before), static_cast<long long>(limit - ids.size())});
      if (!queued.ok()) return queued.status();
      AddIds(*queued, ids);
    }
    if (ids.empty()) return Status::Ok();
    auto claimed =
        MarkScheduled(connection, std::move(ids), now, "kClaimedStrandedJobs", "created_at, seq");
    if (!claimed.ok()) return claimed.status();
    jobs = *std::move(claimed);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return jobs;
}

Result<std::vector<Job>> MysqlJobRepository::ListExpiredLeases(TimePoint now, std::size_t limit) {
  if (limit == 0) return std::vector<Job>{};
  auto expired = pool_->Run("kListExpiredLeases", kListExpiredLeases,
                            {Micros(now), static_cast<long long>(limit)});
  if (!expired.ok()) return expired.status();
  return JobsOf(*expired);
}

}  // namespace valet::adapters::mysql
