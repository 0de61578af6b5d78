#pragma once

#include <optional>
#include <string>
#include <vector>

#include "valet/core/job_factory.hpp"
#include "valet/core/job_service.hpp"
#include "valet/core/requests.hpp"
#include "valet/ports/job_queue.hpp"
#include "valet/ports/job_repository.hpp"

namespace valet::core {

struct PipelineWithJobs {
  Pipeline pipeline;
  std::vector<Job> jobs;
};

// The use cases of pipelines. Only the first job is queued (or scheduled); each later job runs
// after the one before it completed. Like jobs, a refused submit leaves nothing stored.
class PipelineService {
 public:
  PipelineService(JobRepository& repository, JobQueue& queue, const JobFactory& factory,
                  ScheduledHook on_scheduled)
      : repository_(repository),
        queue_(queue),
        factory_(factory),
        on_scheduled_(std::move(on_scheduled)) {}

  Result<PipelineWithJobs> Create(const PipelineRequest& request);
  Result<Pipeline> Get(const std::string& id);
  Result<std::vector<Pipeline>> List(std::optional<JobStatus> status);
  Result<std::vector<Job>> ListJobs(const std::string& id);
  Status Patch(const std::string& id, const JobInfoPatch& patch);
  Status Delete(const std::string& id);

 private:
  JobRepository& repository_;
  JobQueue& queue_;
  const JobFactory& factory_;
  ScheduledHook on_scheduled_;
};

}  // namespace valet::core
