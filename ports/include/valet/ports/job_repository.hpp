#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "valet/ports/job.hpp"
#include "valet/ports/job_result.hpp"
#include "valet/ports/pipeline.hpp"
#include "valet/ports/status.hpp"

namespace valet {

// A status change of a job or pipeline, applied as a compare-and-set. The repository stamps the
// time field that belongs to the target status: SCHEDULED → scheduled_at, IN_PROGRESS →
// started_at, COMPLETED/FAILED/CANCELLED → completed_at (and failure_reason when not empty).
struct Transition {
  JobStatus from;
  JobStatus to;
  TimePoint at;
  std::string failure_reason;
  // A job's result, stored in the same atomic step as its terminal status, so a client that sees
  // COMPLETED or FAILED can read the result at once.
  std::optional<JobResult> result;
};

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
  virtual Result<Job> GetJob(const std::string& id) = 0;
  // Every job (pipeline jobs included), or only those in `status`.
  virtual Result<std::vector<Job>> ListJobs(std::optional<JobStatus> status) = 0;
  virtual Status PatchJob(const std::string& id, const JobInfoPatch& patch) = 0;
  virtual Status TransitionJob(const std::string& id, const Transition& transition) = 0;
  // A worker's claim: atomically moves the job from PENDING or SCHEDULED to IN_PROGRESS, stamps
  // started_at = `at`, and returns the job as it now is. kConflict when the job is in any other
  // status (another worker has it, it finished, it was cancelled) and nothing is written.
  virtual Result<Job> StartJob(const std::string& id, TimePoint at) = 0;
  // Deletes the job and its result.
  virtual Status DeleteJob(const std::string& id) = 0;

  // Atomically moves up to `limit` PENDING jobs whose run_at <= now to SCHEDULED and returns
  // them, earliest run_at first. Each due job is returned by exactly one call, however many
  // instances poll the same repository.
  virtual Result<std::vector<Job>> ClaimDueJobs(TimePoint now, std::size_t limit) = 0;
  // The earliest run_at of the PENDING scheduled jobs, or nullopt if there are none.
  virtual Result<OptionalTime> NextDueTime() = 0;

  // Stores the pipeline and all its jobs, or nothing.
  virtual Status CreatePipeline(const Pipeline& pipeline, const std::vector<Job>& jobs) = 0;
  virtual Result<Pipeline> GetPipeline(const std::string& id) = 0;
  virtual Result<std::vector<Pipeline>> ListPipelines(std::optional<JobStatus> status) = 0;
  // The pipeline's jobs in pipeline order; kNotFound if the pipeline does not exist.
  virtual Result<std::vector<Job>> ListPipelineJobs(const std::string& pipeline_id) = 0;
  virtual Status PatchPipeline(const std::string& id, const JobInfoPatch& patch) = 0;
  virtual Status TransitionPipeline(const std::string& id, const Transition& transition) = 0;
  // Deletes the pipeline, its jobs and their results.
  virtual Status DeletePipeline(const std::string& id) = 0;

  virtual Result<JobResult> GetResult(const std::string& job_id) = 0;
  virtual Status DeleteResult(const std::string& job_id) = 0;

  // Ok when the backend answers; must return promptly even when it does not.
  virtual Status CheckHealth() = 0;
};

}  // namespace valet
