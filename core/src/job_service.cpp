#include "valet/core/job_service.hpp"

#include "valet/core/job_query.hpp"
#include "valet/core/messages.hpp"

namespace valet::core {

namespace {

constexpr int kCancelTries = 5;

}  // namespace

bool KeepsUnqueued(const JobQueue& queue, const Status& undo) {
  return !undo.ok() && undo.code() != StatusCode::kNotFound && queue.IsDurable();
}

bool MayPass(const Status& status) {
  return status.code() != StatusCode::kInvalidArgument && status.code() != StatusCode::kNotFound;
}

Status CancelJob(JobRepository& repository, const Job& job, TimePoint at,
                 const std::string& reason) {
  Job current = job;
  for (int attempt = 0; attempt < kCancelTries; ++attempt) {
    if (IsTerminal(current.status)) {
      return Status::Conflict("job with ID: " + job.id + " is already " +
                              std::string(JobStatusName(current.status)));
    }
    Status cancelled =
        repository.TransitionJob(job.id, Transition{current.status, JobStatus::kCancelled, at,
                                                    reason, JobResult{job.id, nullptr, reason}});
    if (cancelled.code() != StatusCode::kConflict) return cancelled;
    // The job moved on meanwhile (a worker took it, a retry fell due): look again.
    auto reread = repository.GetJob(job.id);
    if (!reread.ok()) return reread.status();
    current = std::move(*reread);
  }
  return Status::Unavailable("job with ID: " + job.id +
                             " keeps changing status; try to cancel it again");
}

Result<Job> JobService::Create(const JobRequest& request, const std::string& idempotency_key) {
  auto job = factory_.Build(request, /*parse_run_at=*/true);
  if (!job.ok()) return job.status();
  return Submit(std::move(*job), idempotency_key);
}

Result<Job> JobService::CreateWithId(const std::string& id, const JobRequest& request) {
  auto job = factory_.Build(request, /*parse_run_at=*/true);
  if (!job.ok()) return job.status();
  job->id = id;
  return Submit(std::move(*job), {});
}

Result<std::vector<Job>> JobService::CreateMany(const std::vector<JobRequest>& requests) {
  if (requests.empty() || requests.size() > kMaxBatchJobs) {
    return Status::InvalidArgument("a batch holds 1 to " + std::to_string(kMaxBatchJobs) +
                                   " jobs, " + std::to_string(requests.size()) + " given");
  }
  std::vector<Job> jobs;
  jobs.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    auto job = factory_.Build(requests[i], /*parse_run_at=*/true);
    if (!job.ok()) {
      return Status(job.status().code(),
                    "jobs[" + std::to_string(i) + "]: " + job.status().message());
    }
    job->use_previous_results = false;  // meaningless outside a pipeline
    jobs.push_back(std::move(*job));
  }
  if (Status stored = repository_.CreateJobs(jobs); !stored.ok()) return stored;
  std::vector<std::string> queued;
  std::optional<TimePoint> earliest;
  for (const Job& job : jobs) {
    if (!job.run_at) {
      queued.push_back(job.id);
    } else if (!earliest || *job.run_at < *earliest) {
      earliest = job.run_at;
    }
  }
  if (!queued.empty()) {
    if (Status pushed = queue_.PushBatch(queued); !pushed.ok()) {
      UndoBatch(jobs);
      return pushed;
    }
  }
  if (earliest && on_scheduled_) on_scheduled_(*earliest);
  if (options_.on_submitted) {
    for (const Job& job : jobs) options_.on_submitted(job.task_name);
  }
  return jobs;
}

void JobService::UndoBatch(const std::vector<Job>& jobs) {
  // A job pushed before the queue failed finds no record and is dropped by its worker. A record
  // that cannot be removed (the repository failed too) stays PENDING, and the recovery of
  // stranded jobs queues it later: run, though its submit was refused, rather than lost.
  for (const Job& job : jobs) repository_.DeleteJob(job.id).IgnoreError();
}

Status JobService::Check(const JobRequest& request) const {
  return factory_.Build(request, /*parse_run_at=*/true).status();
}

Result<Job> JobService::Submit(Job job, const std::string& idempotency_key) {
  job.use_previous_results = false;  // meaningless outside a pipeline

  if (idempotency_key.empty()) {
    if (Status stored = repository_.CreateJob(job); !stored.ok()) return stored;
  } else {
    IdempotencyKey key{idempotency_key,
                       job.created_at + std::chrono::duration_cast<std::chrono::microseconds>(
                                            options_.idempotency_window)};
    auto holder = repository_.CreateJobOnce(job, key);
    if (!holder.ok()) return holder.status();
    if (*holder != job.id) return Get(*holder);  // a repeat: the first submit's job
  }
  if (job.run_at) {
    if (on_scheduled_) on_scheduled_(*job.run_at);
  } else if (Status queued = queue_.Push(job.id); !queued.ok()) {
    // Undo the insert so the refused job does not linger as PENDING for ever.
    if (!KeepsUnqueued(queue_, repository_.DeleteJob(job.id))) return queued;
  }
  if (options_.on_submitted) options_.on_submitted(job.task_name);
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

Result<JobPage> JobService::Find(JobQuery query) {
  if (Status checked = CheckJobQuery(query); !checked.ok()) return checked;
  // A cursor alone goes on in pages of the default size.
  if (!query.cursor.empty() && query.limit == 0) query.limit = kDefaultPageSize;
  return repository_.FindJobs(query);
}

Status JobService::Patch(const std::string& id, const JobInfoPatch& patch) {
  return RewordNotFound(repository_.PatchJob(id, patch), JobNotFound(id));
}

Result<Job> JobService::Cancel(const std::string& id) {
  auto job = Get(id);
  if (!job.ok()) return job.status();
  if (job->BelongsToPipeline()) {
    return Status::Conflict("job with ID: " + id +
                            " can not be cancelled because it belongs to a pipeline - try to "
                            "cancel the pipeline instead");
  }
  Status cancelled = CancelJob(repository_, *job, factory_.Now(), "cancelled by request");
  if (!cancelled.ok()) return RewordNotFound(cancelled, JobNotFound(id));
  if (options_.on_cancelled) options_.on_cancelled(id);
  return Get(id);
}

Status JobService::Delete(const std::string& id) {
  auto job = Get(id);
  if (!job.ok()) return job.status();
  if (job->BelongsToPipeline()) {
    return Status::Conflict("job with ID: " + id +
                            " can not be deleted because it belongs to a pipeline - try to "
                            "delete the pipeline instead");
  }
  Status deleted = RewordNotFound(repository_.DeleteJob(id), JobNotFound(id));
  if (deleted.ok() && job->status == JobStatus::kInProgress && options_.on_cancelled) {
    options_.on_cancelled(id);
  }
  return deleted;
}

Result<Job> JobService::Retry(const std::string& id) {
  auto job = Get(id);
  if (!job.ok()) return job.status();
  if (job->BelongsToPipeline()) {
    return Status::Conflict("job with ID: " + id +
                            " can not be retried because it belongs to a pipeline - submit the "
                            "pipeline again instead");
  }
  if (job->status != JobStatus::kFailed && job->status != JobStatus::kCancelled) {
    return Status::Conflict("job with ID: " + id + " is " +
                            std::string(JobStatusName(job->status)) +
                            " - only a FAILED or CANCELLED job can be retried");
  }
  // A new job rather than the old one moved back to PENDING: finished jobs never change status
  // again (see IsLegalTransition), and the failed run stays readable with its result.
  JobRequest request;
  request.name = job->name;
  request.description = job->description;
  request.task_name = job->task_name;
  request.task_params = job->task_params;
  request.timeout = job->timeout;
  request.max_retries = job->max_retries;
  request.labels = job->labels;
  return Create(request);
}

}  // namespace valet::core
