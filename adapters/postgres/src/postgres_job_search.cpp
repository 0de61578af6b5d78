// Pages of jobs for FindJobs(): one statement per combination of filters, so that each is planned
// for the index it can use (status, creation, or the labels' GIN index).
#include "pg_pool.hpp"
#include "pg_rows.hpp"
#include "valet/adapters/postgres/postgres_job_repository.hpp"
#include "valet/core/job_query.hpp"
#include "valet/core/time_format.hpp"

namespace valet::adapters::postgres {

namespace {

// The statement for a query and its parameters; `name` tells which filters it has, so that one
// name always comes with the same SQL.
struct SearchStatement {
  std::string name = "kFindJobs";
  std::string sql = "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs WHERE true";
  PgParams params;

  // Adds a parameter and returns its placeholder.
  std::string Param(std::optional<std::string> value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  }
  void Filter(const char* flag, const std::string& condition) {
    name += flag;
    sql += " AND " + condition;
  }
};

}  // namespace

Result<JobPage> PostgresJobRepository::FindJobs(const JobQuery& query) {
  SearchStatement statement;
  SearchStatement& s = statement;
  if (query.status) s.Filter("S", "status = " + s.Param(StatusParam(*query.status)));
  if (!query.task_name.empty()) s.Filter("T", "task_name = " + s.Param(query.task_name));
  if (!query.labels.empty()) {
    s.Filter("L", "labels @> " + s.Param(LabelsParam(query.labels)) + "::jsonb");
  }
  if (query.created_after) {
    s.Filter("A", "created_at >= " + s.Param(core::FormatTime(*query.created_after)));
  }
  if (query.created_before) {
    s.Filter("B", "created_at <= " + s.Param(core::FormatTime(*query.created_before)));
  }
  if (!query.cursor.empty()) {
    auto cursor = core::DecodeSequenceCursor(query.cursor);
    if (!cursor.ok()) return cursor.status();
    TimePoint created{std::chrono::microseconds{cursor->created_micros}};
    std::string at = s.Param(core::FormatTime(created));
    s.Filter("C", "(created_at, seq) > (" + at + "::timestamptz, " +
                      s.Param(std::to_string(cursor->seq)) + "::bigint)");
  }
  statement.sql += " ORDER BY created_at, seq";
  // One row past the page tells whether another page follows.
  if (query.limit != 0) {
    statement.sql += " LIMIT " + s.Param(LimitParam(query.limit + 1));
    statement.name += "N";
  }

  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto found = (*lease)->Run(statement.name.c_str(), statement.sql.c_str(), statement.params);
  if (!found.ok()) return found.status();
  JobPage page;
  page.jobs = JobsOf(*found);
  if (query.limit != 0 && page.jobs.size() > query.limit) {
    core::CutPage(page, query.limit, found->Text(static_cast<int>(query.limit) - 1, kJobSeqColumn));
  }
  return page;
}

}  // namespace valet::adapters::postgres
