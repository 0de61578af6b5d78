#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "valet/adapters/redis/redis_group_repository.hpp"
#include "valet/adapters/redis/redis_schedule_repository.hpp"
#include "valet/adapters/redis/redis_url.hpp"
#include "valet/ports/job_repository.hpp"

namespace valet::adapters::redis {

class RedisPool;
class RepositoryKeys;

struct RedisRepositoryOptions {
  RedisEndpoint endpoint;                   // from REDIS_URL
  std::string key_prefix = "valet";         // every key is "{<key_prefix>}:..."
  int pool_size = 10;                       // connections at most
  int min_idle_conns = 10;                  // connections opened at start and kept while idle
  std::chrono::milliseconds timeout{5000};  // connect and per-command timeout
  std::chrono::milliseconds result_ttl{0};  // results expire after this; 0 = kept
};

// A JobRepository on Redis (hiredis). Keys, all under one hash tag so that one valet's keys share
// a Redis Cluster slot (`p` is the key prefix):
//   {p}:job:<id>        hash: the job's fields (times as microseconds since the epoch)
//   {p}:result:<id>     hash: the job's result (`metadata` as JSON text, `error`), optional TTL
//   {p}:pipeline:<id>   hash: the pipeline's fields and its job ids in order
//   {p}:jobs, {p}:jobs:<status>            sorted sets of job ids by creation time
//   {p}:pipelines, {p}:pipelines:<status>  the same for pipelines
//   {p}:jobs:due        sorted set of PENDING jobs with a run_at, by run_at
//   {p}:jobs:leases     sorted set of IN_PROGRESS jobs by lease_expires_at (0: no lease)
//   {p}:jobs:queued     sorted set of the jobs that are in the job queue or should be: PENDING
//                       ones without run_at or previous_job_id by created_at, SCHEDULED ones by
//                       scheduled_at (what ClaimStrandedJobs ranges over)
//   {p}:idempotency:job:<key>, {p}:idempotency:pipeline:<key>
//                       hash: the id of the record that took the Idempotency-Key and the key's
//                       expires_at; kept after the record is deleted (it then no longer holds)
//   {p}:seq             counter that orders records created in the same microsecond
//   {p}:schema_version  the layout version the prefix was upgraded to (see Open)
//   {p}:schedule:<id>, {p}:schedules, {p}:schedules:due, {p}:schedules:names
//                       the schedules of Schedules() (see RedisScheduleRepository)
//   {p}:group:<id>, {p}:groups, {p}:groups:<status>
//                       the groups of Groups() (see RedisGroupRepository)
// Index members are "<seq, 20 digits>:<id>", so equal times list in creation order. Lists and
// due, lease and stranded lookups read these indexes and never SCAN the keyspace. Every write
// that touches more than one key (create, with its idempotency key; status change, with its
// result and the pipeline's next job; claim; delete with the result) is one Lua script, atomic on
// the server, that checks the current status first (compare-and-set), names all its keys in KEYS
// and files the job in the due, lease and queued indexes that its fields call for. Every value
// travels as a binary-safe argument. Ids that are not UUIDs are kNotFound without a round trip.
// While the server is down calls return kUnavailable; the pool drops broken connections and
// reconnects by itself.
class RedisJobRepository final : public JobRepository {
 public:
  // Connects (opening min_idle_conns connections), checks the server answers and upgrades a
  // prefix written by an older valet unless {p}:schema_version says it is done: its jobs enter
  // the lease and queued indexes, IN_PROGRESS ones without a lease as expired (score 0). The
  // upgrade is idempotent and safe while other instances use the prefix. A server that cannot be
  // reached is not an error: the upgrade then runs before the first ListExpiredLeases or
  // ClaimStrandedJobs. kInvalidArgument for a bad key prefix or refused credentials.
  static Result<std::unique_ptr<RedisJobRepository>> Open(const RedisRepositoryOptions& options);
  ~RedisJobRepository() override;

  Status CreateJob(const Job& job) override;
  Status CreateJobs(const std::vector<Job>& jobs) override;
  Result<Job> GetJob(const std::string& id) override;
  Result<std::vector<Job>> ListJobs(std::optional<JobStatus> status) override;
  // Walks {p}:jobs or {p}:jobs:<status> from the cursor, the created range as scores; the task
  // and label filters are applied to the records read, and a page that looked at 2,000 entries
  // returns what it found with a cursor, so it may hold fewer than `limit` jobs.
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
  RedisJobRepository(std::unique_ptr<RedisPool> pool, std::unique_ptr<RepositoryKeys> keys,
                     std::chrono::milliseconds result_ttl);
  Result<std::vector<Job>> ReadJobs(const std::vector<std::string>& ids);
  // Stores the records (under `key` when given); returns the id of the one stored, or of the
  // key's holder.
  Result<std::string> Create(const Pipeline* pipeline, const std::vector<Job>& jobs,
                             const IdempotencyKey* key);
  // UpgradeKeys once per repository, before the indexes it fills are read.
  Status EnsureUpgraded();

  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<RepositoryKeys> keys_;
  std::chrono::milliseconds result_ttl_;
  std::mutex upgrade_mutex_;
  std::atomic<bool> upgraded_{false};
  RedisScheduleRepository schedules_;  // on *pool_ and *keys_, so declared after them
  RedisGroupRepository groups_;        // likewise
};

// The key prefix must be non-empty and free of '{' and '}' (it becomes the hash tag).
Status CheckKeyPrefix(const std::string& prefix);

}  // namespace valet::adapters::redis
