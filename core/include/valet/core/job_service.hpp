#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "valet/core/job_factory.hpp"
#include "valet/core/requests.hpp"
#include "valet/ports/job_queue.hpp"
#include "valet/ports/job_repository.hpp"

namespace valet::core {

// Called with a scheduled job's run_at once it is stored, so the scheduler can wake in time.
using ScheduledHook = std::function<void(TimePoint run_at)>;

struct ServiceOptions {
  // How long an Idempotency-Key keeps finding the first submit made with it.
  std::chrono::milliseconds idempotency_window{std::chrono::hours{24}};
  // Told the id of a job that was cancelled or deleted, so that its task stops if it runs in
  // this process (elsewhere, its worker finds out when it next renews the job's lease).
  std::function<void(const std::string& job_id)> on_cancelled;
  // Told the task of every job a submit created (not of a repeat with an Idempotency-Key).
  std::function<void(const std::string& task_name)> on_submitted;
};

// The use cases of standalone jobs. A job without run_at is stored and queued; if the queue
// refuses it, the stored job is removed again, so a failed submit leaves nothing behind.
class JobService {
 public:
  JobService(JobRepository& repository, JobQueue& queue, const JobFactory& factory,
             ScheduledHook on_scheduled, ServiceOptions options = {})
      : repository_(repository),
        queue_(queue),
        factory_(factory),
        on_scheduled_(std::move(on_scheduled)),
        options_(std::move(options)) {}

  // With an `idempotency_key`, a repeated submit within the window returns the job the first
  // one created (as it now is) and creates nothing.
  Result<Job> Create(const JobRequest& request, const std::string& idempotency_key = {});
  // Creates the job under `id` instead of a fresh one: kConflict, and nothing created, when a
  // job with that id exists (a schedule's tick submitted twice).
  Result<Job> CreateWithId(const std::string& id, const JobRequest& request);
  // Submits up to kMaxBatchJobs jobs at once: each request is checked as by Create() first (a
  // bad one is kInvalidArgument naming it, as "jobs[2]: name required", and nothing is stored),
  // then all are stored in one write and those without run_at queued in one push. If the queue
  // refuses them, they are all removed again. Returns the jobs in request order.
  Result<std::vector<Job>> CreateMany(const std::vector<JobRequest>& requests);
  static constexpr std::size_t kMaxBatchJobs = 1000;
  // The checks of Create() alone: nothing is stored.
  Status Check(const JobRequest& request) const;
  Result<Job> Get(const std::string& id);
  Result<std::vector<Job>> List(std::optional<JobStatus> status);
  // A page of the jobs matching `query` (of kDefaultPageSize jobs when it has a cursor but no
  // limit); kInvalidArgument for a query CheckJobQuery() refuses.
  Result<JobPage> Find(JobQuery query);
  Status Patch(const std::string& id, const JobInfoPatch& patch);
  // A pending or scheduled job never runs; a running one is CANCELLED at once and its task is
  // asked to stop. Returns the job as it now is. kConflict for a finished job and for a job of a
  // pipeline (cancel the pipeline instead).
  Result<Job> Cancel(const std::string& id);
  // kConflict for a job that belongs to a pipeline (delete the pipeline instead). A running job
  // is asked to stop.
  Status Delete(const std::string& id);
  // Submits a FAILED or CANCELLED job again, as a new PENDING job due at once with the same
  // name, description, task, params, timeout and max_retries; the old job stays as it was, so
  // its error and attempts are kept. Returns the new job. kConflict for a job of a pipeline
  // (its place in the pipeline cannot be taken by a new job) and for a job in any other status;
  // kInvalidArgument when its task is no longer registered.
  Result<Job> Retry(const std::string& id);

 private:
  JobRepository& repository_;
  JobQueue& queue_;
  const JobFactory& factory_;
  // Stores a built job (under `idempotency_key` if not empty) and queues or schedules it.
  Result<Job> Submit(Job job, const std::string& idempotency_key);
  // Removes the stored jobs of a batch whose push failed.
  void UndoBatch(const std::vector<Job>& jobs);

  ScheduledHook on_scheduled_;
  ServiceOptions options_;
};

// A submit whose push failed is undone; when the undo fails too (the repository went down with
// the broker), the record stays stored. With a durable queue the recovery then queues it (see
// Recovery), so the submit is acknowledged rather than refused with a record left behind.
bool KeepsUnqueued(const JobQueue& queue, const Status& undo);

// Whether a submit that failed with `status` may succeed when tried again: a backend down or a
// full queue may pass; a request refused for what it is (an unknown task) will not.
bool MayPass(const Status& status);

// Moves a job that is not finished to CANCELLED with `reason`, whatever status it is in (a
// compare-and-set, tried again when the status changes under it). kConflict when it finished.
Status CancelJob(JobRepository& repository, const Job& job, TimePoint at,
                 const std::string& reason);

}  // namespace valet::core
