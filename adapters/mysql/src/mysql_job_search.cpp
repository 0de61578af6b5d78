// Pages of jobs for FindJobs(): one statement per combination of filters, walking the status or
// the creation index in order.
#include "mysql_pool.hpp"
#include "mysql_rows.hpp"
#include "valet/adapters/mysql/mysql_job_repository.hpp"
#include "valet/core/job_query.hpp"

namespace valet::adapters::mysql {

namespace {

// The statement for a query and its parameters; `name` tells which filters it has (and how many
// labels), so that one name always comes with the same SQL.
struct SearchStatement {
  std::string name = "kFindJobs";
  std::string sql = "SELECT " VALET_JOB_COLUMNS " FROM valet_jobs WHERE TRUE";
  MysqlParams params;

  void Filter(const char* flag, const char* condition, MysqlParams values) {
    name += flag;
    sql += std::string(" AND ") + condition;
    for (MysqlValue& value : values) params.push_back(std::move(value));
  }
};

}  // namespace

Result<JobPage> MysqlJobRepository::FindJobs(const JobQuery& query) {
  SearchStatement s;
  if (query.status) s.Filter("S", "status = ?", {StatusParam(*query.status)});
  if (!query.task_name.empty()) s.Filter("T", "task_name = ?", {query.task_name});
  // Label keys are letters, digits and `_ - . /` (CheckLabels), so quoting them makes the path.
  for (const auto& [key, value] : query.labels) {
    s.Filter("L", "JSON_VALUE(labels, ?) = ?", {"$.\"" + key + "\"", value});
  }
  if (query.created_after) s.Filter("A", "created_at >= ?", {Micros(*query.created_after)});
  if (query.created_before) s.Filter("B", "created_at <= ?", {Micros(*query.created_before)});
  if (!query.cursor.empty()) {
    auto cursor = core::DecodeSequenceCursor(query.cursor);
    if (!cursor.ok()) return cursor.status();
    // Spelled out rather than as a row comparison, which the optimizer would not use the
    // index for.
    long long micros = cursor->created_micros;
    s.Filter("C", "(created_at > ? OR (created_at = ? AND seq > ?))",
             {micros, micros, static_cast<long long>(cursor->seq)});
  }
  s.sql += " ORDER BY created_at, seq";
  // One row past the page tells whether another page follows.
  if (query.limit != 0) {
    s.sql += " LIMIT ?";
    s.name += "N";
    s.params.push_back(static_cast<long long>(query.limit + 1));
  }

  auto found = pool_->Run(s.name, s.sql.c_str(), s.params);
  if (!found.ok()) return found.status();
  JobPage page;
  page.jobs = JobsOf(*found);
  if (query.limit != 0 && page.jobs.size() > query.limit) {
    core::CutPage(page, query.limit, found->Text(static_cast<int>(query.limit) - 1, kJobSeqColumn));
  }
  return page;
}

}  // namespace valet::adapters::mysql
