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
                  ScheduledHook on_scheduled, ServiceOptions options = {})
      : repository_(repository),
        queue_(queue),
        factory_(factory),
        on_scheduled_(std::move(on_scheduled)),
        options_(std::move(options)) {}

  // With an `idempotency_key`, a repeated submit within the window returns the pipeline the
  // first one created (as it now is) and creates nothing.
  Result<PipelineWithJobs> Create(const PipelineRequest& request,
                                  const std::string& idempotency_key = {});
  // Creates the pipeline under `id`, its jobs under ids derived from it: kConflict, and nothing
  // created, when a pipeline with that id exists (a schedule's tick submitted twice).
  Result<PipelineWithJobs> CreateWithId(const std::string& id, const PipelineRequest& request);
  // The checks of Create() alone: nothing is stored.
  Status Check(const PipelineRequest& request) const;
  Result<Pipeline> Get(const std::string& id);
  // The pipeline with its jobs, in pipeline order.
  Result<PipelineWithJobs> Find(const std::string& id);
  Result<std::vector<Pipeline>> List(std::optional<JobStatus> status);
  Result<std::vector<Job>> ListJobs(const std::string& id);
  Status Patch(const std::string& id, const JobInfoPatch& patch);
  // Cancels every job of the pipeline that has not finished (a running one is asked to stop),
  // then the pipeline. Returns the pipeline and its jobs as they now are; kConflict when the
  // pipeline has finished.
  Result<PipelineWithJobs> Cancel(const std::string& id);
  // Deletes the pipeline, its jobs and results; its running job is asked to stop.
  Status Delete(const std::string& id);

 private:
  // Checks the request and builds the pipeline and its jobs with fresh ids, linked in order.
  Result<PipelineWithJobs> Build(const PipelineRequest& request) const;
  // Stores a built pipeline (under `idempotency_key` if not empty) and queues or schedules its
  // first job.
  Result<PipelineWithJobs> Submit(PipelineWithJobs created, const std::string& idempotency_key);

  JobRepository& repository_;
  JobQueue& queue_;
  const JobFactory& factory_;
  ScheduledHook on_scheduled_;
  ServiceOptions options_;
};

}  // namespace valet::core
