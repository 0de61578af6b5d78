#include "valet/core/pipeline_service.hpp"

#include "valet/core/messages.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::core {

namespace {

// valet checks the jobs first, then the pipeline itself.
Status ValidatePipelineShape(const PipelineRequest& request) {
  std::string missing;
  if (request.name.empty()) missing = "name";
  if (request.jobs.empty()) missing += missing.empty() ? "jobs" : ", jobs";
  if (!missing.empty()) return Status::InvalidArgument(missing + " required");
  if (request.jobs.size() < 2) {
    return Status::InvalidArgument("pipeline should have at least 2 jobs, " +
                                   std::to_string(request.jobs.size()) + " given");
  }
  return Status::Ok();
}

// Links the jobs in order and lists them in the pipeline.
void LinkJobs(Pipeline& pipeline, std::vector<Job>& jobs) {
  pipeline.job_ids.clear();
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    jobs[i].pipeline_id = pipeline.id;
    jobs[i].previous_job_id = i > 0 ? jobs[i - 1].id : "";
    jobs[i].next_job_id = i + 1 < jobs.size() ? jobs[i + 1].id : "";
    pipeline.job_ids.push_back(jobs[i].id);
  }
}

}  // namespace

Result<PipelineWithJobs> PipelineService::Build(const PipelineRequest& request) const {
  PipelineWithJobs created;
  Pipeline& pipeline = created.pipeline;
  std::vector<Job>& jobs = created.jobs;

  for (std::size_t i = 0; i < request.jobs.size(); ++i) {
    JobRequest job_request = request.jobs[i];
    job_request.run_at = i == 0 ? request.run_at : std::nullopt;
    job_request.run_in = i == 0 ? request.run_in : std::nullopt;
    auto job = factory_.Build(job_request, /*parse_run_at=*/i == 0);
    if (!job.ok()) return job.status();
    jobs.push_back(std::move(*job));
  }
  if (Status shape = ValidatePipelineShape(request); !shape.ok()) return shape;

  pipeline.id = factory_.NewId();
  pipeline.name = request.name;
  pipeline.description = request.description;
  pipeline.status = JobStatus::kPending;
  pipeline.created_at = factory_.Now();
  pipeline.run_at = jobs.front().run_at;
  LinkJobs(pipeline, jobs);
  return created;
}

Result<PipelineWithJobs> PipelineService::Create(const PipelineRequest& request,
                                                 const std::string& idempotency_key) {
  auto created = Build(request);
  if (!created.ok()) return created.status();
  return Submit(std::move(*created), idempotency_key);
}

Result<PipelineWithJobs> PipelineService::CreateWithId(const std::string& id,
                                                       const PipelineRequest& request) {
  auto created = Build(request);
  if (!created.ok()) return created.status();
  created->pipeline.id = id;
  for (std::size_t i = 0; i < created->jobs.size(); ++i) {
    created->jobs[i].id = NameBasedUuid(id + "/jobs/" + std::to_string(i));
  }
  LinkJobs(created->pipeline, created->jobs);
  return Submit(std::move(*created), {});
}

Status PipelineService::Check(const PipelineRequest& request) const {
  return Build(request).status();
}

Result<PipelineWithJobs> PipelineService::Submit(PipelineWithJobs created,
                                                 const std::string& idempotency_key) {
  Pipeline& pipeline = created.pipeline;
  std::vector<Job>& jobs = created.jobs;
  if (idempotency_key.empty()) {
    if (Status stored = repository_.CreatePipeline(pipeline, jobs); !stored.ok()) return stored;
  } else {
    IdempotencyKey key{idempotency_key,
                       pipeline.created_at + std::chrono::duration_cast<std::chrono::microseconds>(
                                                 options_.idempotency_window)};
    auto holder = repository_.CreatePipelineOnce(pipeline, jobs, key);
    if (!holder.ok()) return holder.status();
    if (*holder != pipeline.id) return Find(*holder);  // a repeat: the first submit's pipeline
  }
  if (pipeline.run_at) {
    if (on_scheduled_) on_scheduled_(*pipeline.run_at);
  } else if (Status queued = queue_.Push(jobs.front().id); !queued.ok()) {
    if (!KeepsUnqueued(queue_, repository_.DeletePipeline(pipeline.id))) return queued;
  }
  if (options_.on_submitted) {
    for (const Job& job : jobs) options_.on_submitted(job.task_name);
  }
  return created;
}

Result<Pipeline> PipelineService::Get(const std::string& id) {
  auto pipeline = repository_.GetPipeline(id);
  if (!pipeline.ok()) return RewordNotFound(pipeline.status(), PipelineNotFound(id));
  return pipeline;
}

Result<std::vector<Pipeline>> PipelineService::List(std::optional<JobStatus> status) {
  return repository_.ListPipelines(status);
}

Result<std::vector<Job>> PipelineService::ListJobs(const std::string& id) {
  auto jobs = repository_.ListPipelineJobs(id);
  if (!jobs.ok()) return RewordNotFound(jobs.status(), PipelineNotFound(id));
  return jobs;
}

Status PipelineService::Patch(const std::string& id, const JobInfoPatch& patch) {
  return RewordNotFound(repository_.PatchPipeline(id, patch), PipelineNotFound(id));
}

Result<PipelineWithJobs> PipelineService::Find(const std::string& id) {
  auto pipeline = Get(id);
  if (!pipeline.ok()) return pipeline.status();
  auto jobs = ListJobs(id);
  if (!jobs.ok()) return jobs.status();
  return PipelineWithJobs{std::move(*pipeline), std::move(*jobs)};
}

Result<PipelineWithJobs> PipelineService::Cancel(const std::string& id) {
  auto found = Find(id);
  if (!found.ok()) return found.status();
  TimePoint now = factory_.Now();
  Pipeline& pipeline = found->pipeline;
  if (IsTerminal(pipeline.status)) {
    return Status::Conflict("pipeline with ID: " + id + " is already " +
                            std::string(JobStatusName(pipeline.status)));
  }
  for (const Job& job : found->jobs) {
    if (IsTerminal(job.status)) continue;
    Status cancelled = CancelJob(repository_, job, now, "cancelled with its pipeline");
    if (!cancelled.ok() && cancelled.code() != StatusCode::kConflict) return cancelled;
    if (options_.on_cancelled) options_.on_cancelled(job.id);
  }
  // The pipeline may move on meanwhile (its first job starting): follow it.
  for (int attempt = 0; attempt < 5 && !IsTerminal(pipeline.status); ++attempt) {
    Status moved = repository_.TransitionPipeline(
        id, Transition{pipeline.status, JobStatus::kCancelled, now, {}, {}});
    if (moved.ok() || moved.code() != StatusCode::kConflict) {
      if (!moved.ok()) return RewordNotFound(moved, PipelineNotFound(id));
      break;
    }
    auto reread = Get(id);
    if (!reread.ok()) return reread.status();
    pipeline = std::move(*reread);
  }
  return Find(id);
}

Status PipelineService::Delete(const std::string& id) {
  auto jobs = repository_.ListPipelineJobs(id);
  Status deleted = RewordNotFound(repository_.DeletePipeline(id), PipelineNotFound(id));
  if (deleted.ok() && jobs.ok() && options_.on_cancelled) {
    for (const Job& job : *jobs) {
      if (job.status == JobStatus::kInProgress) options_.on_cancelled(job.id);
    }
  }
  return deleted;
}

}  // namespace valet::core
