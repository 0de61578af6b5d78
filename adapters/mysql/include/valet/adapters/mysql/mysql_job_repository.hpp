#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "valet/adapters/mysql/mysql_group_repository.hpp"
#include "valet/adapters/mysql/mysql_schedule_repository.hpp"
#include "valet/core/adapter_registry.hpp"
#include "valet/core/connection_pool.hpp"
#include "valet/ports/job_repository.hpp"

namespace valet::adapters::mysql {

class MysqlPool;

struct MysqlOptions {
  // mysql://user:password@host:port/database, or valet's Go form
  // user:password@tcp(host:port)/database (MYSQL_DSN).
  std::string dsn;
  // When set, valet's tables live in this database instead of the DSN's, and it is created if
  // missing.
  std::string database;
  // valet's max_open_connections, max_idle_connections and connection_max_lifetime.
  core::ConnectionPoolOptions pool;
};

// A JobRepository on MariaDB 10.6+ through the MySQL C API (the migrations use MariaDB's
// IF NOT EXISTS forms of CREATE INDEX and ADD COLUMN). Every status change is one
// UPDATE ... WHERE id = ? AND status = ? (and, when fenced, AND lease_token = ?); a status change
// and the writes that go with it (its result, the pipeline's next job) share one transaction; due
// and stranded jobs are claimed with SELECT ... FOR UPDATE SKIP LOCKED and an UPDATE in one
// transaction; an Idempotency-Key is a row of its own table, claimed before the record it names
// in the same transaction, so its primary key decides a race. Every value is bound to a
// statement prepared once per connection. Timestamps keep microseconds; ids that are not UUIDs
// are kNotFound without a query. While the server is down, calls return kUnavailable; the pool
// reconnects by itself. Schedules() and Groups() keep the schedules and the groups in the same
// database and on the same pool (see MysqlScheduleRepository and MysqlGroupRepository).
class MysqlJobRepository final : public JobRepository {
 public:
  // Connects and brings the tables to the current version; kInvalidArgument for a bad DSN or
  // database name. A server that cannot be reached is not an error here: the repository answers
  // kUnavailable (and CheckHealth() fails) until it can, then migrates on its first connection.
  static Result<std::unique_ptr<MysqlJobRepository>> Open(const MysqlOptions& options);
  ~MysqlJobRepository() override;

  Status CreateJob(const Job& job) override;
  Status CreateJobs(const std::vector<Job>& jobs) override;
  Result<Job> GetJob(const std::string& id) override;
  Result<std::vector<Job>> ListJobs(std::optional<JobStatus> status) override;
  Result<JobPage> FindJobs(const JobQuery& query) override;
  Status PatchJob(const std::string& id, const JobInfoPatch& patch) override;
  Status TransitionJob(const std::string& id, const Transition& transition) override;
  Result<std::vector<bool>> TransitionJobs(const std::vector<JobTransition>& changes) override;
  Result<Job> StartJob(const std::string& id, const Lease& lease) override;
  Result<std::vector<Job>> StartJobs(const std::vector<std::string>& ids,
                                     const Lease& lease) override;
  Status RenewLease(const std::string& id, const std::string& token, TimePoint expires_at) override;
  Status SetProgress(const std::string& id, const std::string& token,
                     const Json& progress) override;
  Result<std::vector<Job>> ListExpiredLeases(TimePoint now, std::size_t limit) override;
  Status DeleteJob(const std::string& id) override;
  Result<std::vector<Job>> ClaimDueJobs(TimePoint now, std::size_t limit) override;
  Result<OptionalTime> NextDueTime() override;
  Result<std::vector<Job>> ClaimStrandedJobs(TimePoint queued_before, TimePoint now,
                                             std::size_t limit) override;
  Result<std::string> CreateJobOnce(const Job& job, const IdempotencyKey& key) override;

  Status CreatePipeline(const Pipeline& pipeline, const std::vector<Job>& jobs) override;
  Result<std::string> CreatePipelineOnce(const Pipeline& pipeline, const std::vector<Job>& jobs,
                                         const IdempotencyKey& key) override;
  Result<Pipeline> GetPipeline(const std::string& id) override;
  Result<std::vector<Pipeline>> ListPipelines(std::optional<JobStatus> status) override;
  Result<std::vector<Job>> ListPipelineJobs(const std::string& pipeline_id) override;
  Status PatchPipeline(const std::string& id, const JobInfoPatch& patch) override;
  Status TransitionPipeline(const std::string& id, const Transition& transition) override;
  Status DeletePipeline(const std::string& id) override;

  Result<std::vector<std::string>> ListFinished(FinishedKind kind, TimePoint before,
                                                std::size_t limit) override;
  Result<OptionalTime> NthLatestFinish(FinishedKind kind, std::size_t n) override;

  Result<JobResult> GetResult(const std::string& job_id) override;
  Status DeleteResult(const std::string& job_id) override;

  ScheduleRepository& Schedules() override { return schedules_; }
  GroupRepository& Groups() override { return groups_; }

  Status CheckHealth() override;

 private:
  explicit MysqlJobRepository(std::unique_ptr<MysqlPool> pool);

  std::unique_ptr<MysqlPool> pool_;
  MysqlScheduleRepository schedules_;  // on *pool_, so declared after it
  MysqlGroupRepository groups_;        // likewise
};

// Adds `repository.option: mysql` (settings: `repository.mysql.{connection_max_lifetime,
// max_idle_connections, max_open_connections, database}`, DSN from MYSQL_DSN).
void Register(core::AdapterRegistry& registry);

}  // namespace valet::adapters::mysql
