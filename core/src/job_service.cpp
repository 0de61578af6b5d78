#include "valet/core/job_service.hpp"

#include "valet/core/messages.hpp"

namespace valet::core {

Result<Job> JobService::Create(const JobRequest& request) {
  auto job = factory_.Build(request, /*parse_run_at=*/true);
  if (!job.ok()) return job.status();
  job->use_previous_results = false;  // meaningless outside a pipeline

  if (Status stored = repository_.CreateJob(*job); !stored.ok()) return stored;
  if (job->run_at) {
    if (on_scheduled_) on_scheduled_(*job->run_at);
    return job;
  }
  if (Status queued = queue_.Push(job->id); !queued.ok()) {
    // Undo the insert so the refused job does not linger as PENDING for ever.
    repository_.DeleteJob(job->id).IgnoreError();
    return queued;
  }
  return job;
}

Result<Job> JobService::Get(const std::string& id) {
  auto job = repository_.GetJob(id);
  if (!job.ok()) return RewordNotFound(job.status(), JobNotFound(id));
  return job;
}

Result<std::vector<Job>> JobService::List(std::optional<JobStatus> status) {
  return repository_.ListJobs(status);
}

Status JobService::Patch(const std::string& id, const JobInfoPatch& patch) {
  return RewordNotFound(repository_.PatchJob(id, patch), JobNotFound(id));
}

Status JobService::Delete(const std::string& id) {
  auto job = Get(id);
  if (!job.ok()) return job.status();
  if (job->BelongsToPipeline()) {
    return Status::Conflict("job with ID: " + id +
                            " can not be deleted because it belongs to a pipeline - try to "
                            "delete the pipeline instead");
  }
  return RewordNotFound(repository_.DeleteJob(id), JobNotFound(id));
}

}  // namespace valet::core
