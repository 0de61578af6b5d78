#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "valet/ports/group_repository.hpp"
#include "valet/ports/job.hpp"
#include "valet/ports/job_result.hpp"
#include "valet/ports/pipeline.hpp"
#include "valet/ports/schedule_repository.hpp"
#include "valet/ports/status.hpp"

namespace valet {

// A status change of a job or pipeline, applied as a compare-and-set. The repository stamps the
// time field that belongs to the target status: SCHEDULED → scheduled_at, IN_PROGRESS →
// started_at, COMPLETED/FAILED/CANCELLED → completed_at (and failure_reason when not empty).
// The fields after `result` apply to jobs only.
struct Transition {
  JobStatus from;
  JobStatus to;
  TimePoint at;
  std::string failure_reason;
  // A job's result, stored in the same atomic step as its terminal status, so a client that sees
  // COMPLETED or FAILED can read the result at once.
  std::optional<JobResult> result;
  // The fence: when set, the change applies only while the job's lease_token equals it (an empty
  // token matches a job without one), so a worker whose lease was taken over writes nothing.
  std::optional<std::string> lease_token = std::nullopt;
  // Leaving IN_PROGRESS always clears the lease. Back to PENDING (a retry, a lost lease, a job
  // handed back) also sets run_at to this time, so the scheduler's due-job claim queues it again.
  OptionalTime run_at = std::nullopt;
  // When set, replaces the job's list of attempts that did not succeed.
  std::optional<Json> attempts = std::nullopt;
  // A pipeline step: when set, the same atomic step moves this job (the pipeline's next one) from
  // PENDING to SCHEDULED with scheduled_at = `at`, so that it is never left unqueued if the
  // process dies before it starts.
  std::string schedule_next_job_id = {};
};

// A worker's claim on a job: the token that fences its writes and when the claim runs out unless
// it is renewed.
struct Lease {
  std::string token;
  TimePoint at;
  TimePoint expires_at;
};

// One job's status change in a batch of them.
struct JobTransition {
  std::string job_id;
  Transition transition;
};

// An Idempotency-Key taken by a create. A later create with the same key before `expires_at`
// finds the first resource instead of making a second one. Keys of jobs and of pipelines are
// separate.
struct IdempotencyKey {
  std::string key;
  TimePoint expires_at;
};

// Which jobs a page of FindJobs() holds: those matching every filter that is set, oldest first
// (by creation), starting after the job an earlier page's `next_cursor` names.
struct JobQuery {
  std::optional<JobStatus> status;
  std::string task_name;        // empty: any task
  Labels labels;                // the job carries each of these keys with this value
  OptionalTime created_after;   // created_at at or after this
  OptionalTime created_before;  // created_at at or before this
  std::size_t limit = 0;        // the most jobs in the page; 0 = every match in one page
  std::string cursor;           // an earlier page's next_cursor; empty = from the oldest job
};

struct JobPage {
  std::vector<Job> jobs;
  // Where the next page starts; empty when this page reached the last match. A page may hold
  // fewer than `limit` jobs (none, even) and still have a next_cursor, where a backend filters
  // while walking an index and stops after a bounded number of records.
  std::string next_cursor;
};

// What retention prunes: jobs that belong to no pipeline, or pipelines (with their jobs).
enum class FinishedKind { kJobs, kPipelines };

// A JobRepository stores jobs, pipelines and results: the one truth that every valet instance
// sharing it agrees on. Lists are ordered oldest first (by creation) and served from indexes,
// never by scanning every record.
//
// Every status change goes through Transition*(), which succeeds only if the record is still in
// `transition.from` and the move is legal (IsLegalTransition); otherwise it returns kConflict and
// writes nothing. Info patches write only the fields they name, so a patch and a status change
// never undo each other.
//
// Errors: kNotFound when the id is unknown (also for ids that are not UUIDs), kConflict as above
// or when an id already exists, kUnavailable when the backend cannot be reached, kInternal for
// anything unexpected. All methods are safe to call from any thread.
class JobRepository {
 public:
  JobRepository() = default;
  JobRepository(const JobRepository&) = delete;
  JobRepository& operator=(const JobRepository&) = delete;
  virtual ~JobRepository() = default;

  virtual Status CreateJob(const Job& job) = 0;
  // Stores every job at once (one statement, script or transaction), or none: kConflict when an
  // id exists already or is given twice.
  virtual Status CreateJobs(const std::vector<Job>& jobs) = 0;
  virtual Result<Job> GetJob(const std::string& id) = 0;
  // Every job (pipeline jobs included), or only those in `status`.
  virtual Result<std::vector<Job>> ListJobs(std::optional<JobStatus> status) = 0;
  // A page of the jobs that match `query`. A job created after a page was read shows on a later
  // page; one deleted meanwhile does not. kInvalidArgument ("invalid cursor") for a cursor that
  // this backend did not hand out.
  virtual Result<JobPage> FindJobs(const JobQuery& query) = 0;
  virtual Status PatchJob(const std::string& id, const JobInfoPatch& patch) = 0;
  virtual Status TransitionJob(const std::string& id, const Transition& transition) = 0;
  // A worker's claim: atomically moves the job from PENDING or SCHEDULED to IN_PROGRESS, stamps
  // started_at = lease.at, takes the lease (lease_token, lease_expires_at), adds one to
  // `attempt`, clears the progress of an earlier attempt, and returns the job as it now is.
  // kConflict when the job is in any other status (another worker has it, it finished, it was
  // cancelled) and nothing is written.
  virtual Result<Job> StartJob(const std::string& id, const Lease& lease) = 0;
  // StartJob for several jobs at once (one statement, script or transaction), all under `lease`
  // (the token still fences each job's writes on its own): claims every job of `ids` that is
  // PENDING or SCHEDULED and returns those, in any order; a job in another status, unknown, or
  // named twice is claimed at most once and otherwise left out. An error (kUnavailable) means that
  // none was claimed.
  virtual Result<std::vector<Job>> StartJobs(const std::vector<std::string>& ids,
                                             const Lease& lease) = 0;
  // Extends the lease of a running job to `expires_at`. kConflict when the job is no longer
  // IN_PROGRESS under `token` (it was cancelled, or its lease was lost and taken over); kNotFound
  // when it was deleted. Either way its worker should stop.
  virtual Status RenewLease(const std::string& id, const std::string& token,
                            TimePoint expires_at) = 0;
  // Stores the running attempt's progress. kConflict when the job is no longer IN_PROGRESS under
  // `token`, kNotFound when it was deleted; nothing else changes.
  virtual Status SetProgress(const std::string& id, const std::string& token,
                             const Json& progress) = 0;
  // Up to `limit` IN_PROGRESS jobs whose lease ran out at or before `now` (or that have none),
  // oldest lease first: their workers died or stalled. Reads only; the caller moves each on
  // with a Transition fenced by its lease_token.
  virtual Result<std::vector<Job>> ListExpiredLeases(TimePoint now, std::size_t limit) = 0;
  // TransitionJob for several jobs at once (one statement, script or transaction): each change is
  // its own compare-and-set, applied or not as TransitionJob would (an illegal one is not applied).
  // Returns, in the order given, whether each was applied. An error (kUnavailable) means that none
  // was.
  virtual Result<std::vector<bool>> TransitionJobs(const std::vector<JobTransition>& changes) = 0;
  // Deletes the job and its result.
  virtual Status DeleteJob(const std::string& id) = 0;

  // Atomically moves up to `limit` PENDING jobs whose run_at <= now to SCHEDULED and returns
  // them, earliest run_at first. Each due job is returned by exactly one call, however many
  // instances poll the same repository.
  virtual Result<std::vector<Job>> ClaimDueJobs(TimePoint now, std::size_t limit) = 0;
  // The earliest run_at of the PENDING scheduled jobs, or nullopt if there are none.
  virtual Result<OptionalTime> NextDueTime() = 0;
  // Jobs that should be in the job queue but may have been lost on the way: PENDING jobs without
  // run_at that are not waiting for an earlier pipeline job (previous_job_id empty) and were
  // created before `queued_before`, and SCHEDULED jobs whose scheduled_at is before it.
  // Atomically re-stamps up to `limit` of them SCHEDULED with scheduled_at = `now` and returns
  // them, oldest first, so that each is handed back to the queue by one caller once.
  virtual Result<std::vector<Job>> ClaimStrandedJobs(TimePoint queued_before, TimePoint now,
                                                     std::size_t limit) = 0;

  // Stores the job unless an earlier create holds `key` and it has not expired by the new job's
  // created_at; returns the id of the job that holds the key (job.id when this call stored it).
  // An expired key, or one whose job was deleted, is taken over. Concurrent calls with one key
  // store exactly one job.
  virtual Result<std::string> CreateJobOnce(const Job& job, const IdempotencyKey& key) = 0;

  // Stores the pipeline and all its jobs, or nothing.
  virtual Status CreatePipeline(const Pipeline& pipeline, const std::vector<Job>& jobs) = 0;
  // CreatePipeline under an Idempotency-Key, as CreateJobOnce; returns the pipeline's id.
  virtual Result<std::string> CreatePipelineOnce(const Pipeline& pipeline,
                                                 const std::vector<Job>& jobs,
                                                 const IdempotencyKey& key) = 0;
  virtual Result<Pipeline> GetPipeline(const std::string& id) = 0;
  virtual Result<std::vector<Pipeline>> ListPipelines(std::optional<JobStatus> status) = 0;
  // The pipeline's jobs in pipeline order; kNotFound if the pipeline does not exist.
  virtual Result<std::vector<Job>> ListPipelineJobs(const std::string& pipeline_id) = 0;
  virtual Status PatchPipeline(const std::string& id, const JobInfoPatch& patch) = 0;
  virtual Status TransitionPipeline(const std::string& id, const Transition& transition) = 0;
  // Deletes the pipeline, its jobs and their results.
  virtual Status DeletePipeline(const std::string& id) = 0;

  // Retention: up to `limit` ids of the records of `kind` that finished (COMPLETED, FAILED or
  // CANCELLED) before `before`, earliest completion first, from an index of finished records.
  // The caller deletes them with DeleteJob() or DeletePipeline().
  virtual Result<std::vector<std::string>> ListFinished(FinishedKind kind, TimePoint before,
                                                        std::size_t limit) = 0;
  // The completed_at of the n-th latest finished record of `kind` (n >= 1), or nullopt when
  // fewer than n have finished: deleting what finished before it keeps at least n.
  virtual Result<OptionalTime> NthLatestFinish(FinishedKind kind, std::size_t n) = 0;

  virtual Result<JobResult> GetResult(const std::string& job_id) = 0;
  virtual Status DeleteResult(const std::string& job_id) = 0;

  // The schedules of recurring jobs, kept in the same backend. Lives as long as this repository.
  virtual ScheduleRepository& Schedules() = 0;
  // The groups of jobs, kept in the same backend. Lives as long as this repository.
  virtual GroupRepository& Groups() = 0;

  // Ok when the backend answers; must return promptly even when it does not.
  virtual Status CheckHealth() = 0;
};

}  // namespace valet
