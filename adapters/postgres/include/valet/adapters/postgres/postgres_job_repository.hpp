#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "valet/adapters/postgres/postgres_group_repository.hpp"
#include "valet/adapters/postgres/postgres_schedule_repository.hpp"
#include "valet/core/adapter_registry.hpp"
#include "valet/core/connection_pool.hpp"
#include "valet/ports/job_repository.hpp"

namespace valet::adapters::postgres {

class PgPool;

struct PostgresOptions {
  std::string dsn;                // libpq connection string or URI (POSTGRES_DSN)
  std::string schema = "public";  // where valet's tables live
  // valet's max_open_connections, max_idle_connections and connection_max_lifetime.
  core::ConnectionPoolOptions pool;
};

// A JobRepository on PostgreSQL (libpq). Every status change is one UPDATE ... WHERE id = $1 AND
// status = $2 (and the lease fence), due and stranded jobs are claimed with FOR UPDATE SKIP
// LOCKED, a status change, its result and the scheduling of a pipeline's next job are written by
// one statement, idempotency keys live in tables of their own under a unique key, and every value
// is a bound parameter of a statement prepared once per connection. Timestamps keep
// microseconds; ids that are not UUIDs are kNotFound without a query. While the server is down,
// calls return kUnavailable; the pool reconnects by itself. Schedules() and Groups() keep the
// schedules and the groups in the same schema and on the same pool (see
// PostgresScheduleRepository and PostgresGroupRepository).
class PostgresJobRepository final : public JobRepository {
 public:
  // Connects and brings the schema to the current version; kInvalidArgument for a bad schema
  // name. A server that cannot be reached is not an error here: the repository answers
  // kUnavailable (and CheckHealth() fails) until it can, then migrates on its first connection.
  static Result<std::unique_ptr<PostgresJobRepository>> Open(const PostgresOptions& options);
  ~PostgresJobRepository() override;

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
  explicit PostgresJobRepository(std::unique_ptr<PgPool> pool);

  std::unique_ptr<PgPool> pool_;
  PostgresScheduleRepository schedules_;  // on *pool_, so declared after it
  PostgresGroupRepository groups_;        // likewise
};

// Adds `repository.option: postgres` (settings: `repository.postgres.{connection_max_lifetime,
// max_idle_connections, max_open_connections, schema}`, DSN from POSTGRES_DSN).
void Register(core::AdapterRegistry& registry);

}  // namespace valet::adapters::postgres
