#pragma once

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

// The use cases of standalone jobs. A job without run_at is stored and queued; if the queue
// refuses it, the stored job is removed again, so a failed submit leaves nothing behind.
class JobService {
 public:
  JobService(JobRepository& repository, JobQueue& queue, const JobFactory& factory,
             ScheduledHook on_scheduled)
      : repository_(repository),
        queue_(queue),
        factory_(factory),
        on_scheduled_(std::move(on_scheduled)) {}

  Result<Job> Create(const JobRequest& request);
  Result<Job> Get(const std::string& id);
  Result<std::vector<Job>> List(std::optional<JobStatus> status);
  Status Patch(const std::string& id, const JobInfoPatch& patch);
  // kConflict for a job that belongs to a pipeline (delete the pipeline instead).
  Status Delete(const std::string& id);

 private:
  JobRepository& repository_;
  JobQueue& queue_;
  const JobFactory& factory_;
  ScheduledHook on_scheduled_;
};

}  // namespace valet::core
