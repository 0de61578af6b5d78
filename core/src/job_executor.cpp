#include "valet/core/job_executor.hpp"

#include <atomic>
#include <exception>
#include <memory>

namespace valet::core {

namespace {

std::string DescribeDuration(std::chrono::milliseconds duration) {
  auto ms = duration.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

JobStatus StatusFor(TaskResult::Kind kind) {
  switch (kind) {
    case TaskResult::Kind::kSuccess:
      return JobStatus::kCompleted;
    case TaskResult::Kind::kFailure:
      return JobStatus::kFailed;
    case TaskResult::Kind::kCancelled:
      return JobStatus::kCancelled;
  }
  return JobStatus::kFailed;
}

}  // namespace

// One job on its way through RunJob().
struct JobExecutor::JobRun {
  Job job;
  std::optional<Json> previous_result;
  // Filled in by RunJob: the status this run ended the job in, or nullopt if another party
  // (a timeout, a concurrent worker) decided the outcome.
  std::optional<JobStatus> final_status;
  Json metadata;
  bool abandoned = false;
};

// A job delivered again while IN_PROGRESS: the queue gives a job back only when its earlier
// receiver lost it (its process or connection died, its lease ran out), so that run will not
// finish. Running it again keeps the job from staying IN_PROGRESS for ever; if the earlier run
// does finish after all, the compare-and-set lets only one of them store an outcome.
Result<Job> JobExecutor::ResumeLostRun(const std::string& id) {
  auto job = repository_.GetJob(id);
  if (!job.ok()) return job.status();
  if (job->status != JobStatus::kInProgress) {
    return Status::Conflict("job with ID: " + id + " is " +
                            std::string(JobStatusName(job->status)));
  }
  logger_.Log(LogLevel::kWarning, "worker",
              "job delivered again while in progress; running it again", {{"job_id", id}});
  return job;
}

JobExecutor::Outcome JobExecutor::Execute(const Delivery& delivery) {
  Outcome outcome;
  std::string next_id = delivery.job_id;
  std::optional<Json> passed_on;  // the result of the pipeline job just completed here
  bool first = true;
  while (!next_id.empty()) {
    TimePoint now = clock_.Now();
    auto started = repository_.StartJob(next_id, Lease{ids_.NewId(), now, now + options_.lease});
    if (first && !started.ok() && started.status().code() == StatusCode::kConflict &&
        delivery.delivery_count > 1) {
      started = ResumeLostRun(next_id);
    }
    if (!started.ok()) {
      StatusCode code = started.status().code();
      // Deleted, cancelled, finished or taken by another worker: nothing to do.
      if (code == StatusCode::kNotFound || code == StatusCode::kConflict) break;
      logger_.Log(LogLevel::kWarning, "worker", "cannot start job",
                  {{"job_id", next_id}, {"error", started.status().message()}});
      if (first) outcome.disposition = Disposition::kRequeue;
      break;
    }

    JobRun run;
    run.job = std::move(*started);
    if (run.job.use_previous_results) {
      run.previous_result = first ? PreviousResultFor(run.job) : std::move(passed_on);
    }
    RunJob(run);
    outcome.worker_abandoned |= run.abandoned;
    if (run.final_status != JobStatus::kCompleted) break;
    next_id = run.job.next_job_id;
    passed_on.reset();
    if (!run.metadata.is_null()) passed_on = std::move(run.metadata);
    first = false;
  }
  return outcome;
}

std::optional<Json> JobExecutor::PreviousResultFor(const Job& job) {
  if (!job.use_previous_results || job.previous_job_id.empty()) return std::nullopt;
  auto result = repository_.GetResult(job.previous_job_id);
  if (!result.ok() || result->metadata.is_null()) return std::nullopt;
  return std::move(result->metadata);
}

void JobExecutor::RunJob(JobRun& run) {
  const Job& job = run.job;
  if (job.BelongsToPipeline() && job.previous_job_id.empty()) {
    repository_
        .TransitionPipeline(
            job.pipeline_id,
            Transition{JobStatus::kPending, JobStatus::kInProgress, *job.started_at, {}, {}})
        .IgnoreError();
  }

  const TaskFunction* task = tasks_.Find(job.task_name);
  if (!task) {
    if (Finish(job, JobStatus::kFailed,
               "task " + job.task_name + " is not registered in this valet instance", nullptr)
            .ok()) {
      run.final_status = JobStatus::kFailed;
    }
    return;
  }

  // The timer may fail the job while the task still runs; `state` outlives both sides. The
  // callback may read `job` by reference: Cancel() below waits for a running callback, so `job`
  // outlives it.
  struct SharedState {
    std::stop_source stop;
    std::atomic<bool> timed_out{false};
  };
  auto state = std::make_shared<SharedState>();
  auto timeout = TimeoutOf(job);
  std::uint64_t timer =
      timer_.Schedule(std::chrono::steady_clock::now() + timeout, [this, state, &job, timeout] {
        state->timed_out = true;
        state->stop.request_stop();
        std::string reason = "job timed out after " + DescribeDuration(timeout);
        if (Finish(job, JobStatus::kFailed, reason, nullptr).ok()) {
          logger_.Log(LogLevel::kWarning, "worker", reason, {{"job_id", job.id}});
        }
        if (on_abandon_) on_abandon_();
      });
  {
    std::lock_guard lock(running_mutex_);
    running_.insert(&state->stop);
  }

  TaskResult result;
  try {
    TaskContext context(job.id, job.task_params, std::move(run.previous_result),
                        state->stop.get_token());
    result = (*task)(context);
  } catch (const std::exception& error) {
    result = Failure(error.what());
  } catch (...) {
    result = Failure("task threw an exception that is not a std::exception");
  }

  {
    std::lock_guard lock(running_mutex_);
    running_.erase(&state->stop);
  }
  if (!timer_.Cancel(timer)) {
    run.abandoned = true;  // the timeout decided the outcome and started a replacement worker
    return;
  }

  JobStatus to = StatusFor(result.kind());
  // The metadata is needed again only to pass it to the pipeline's next job.
  bool passes_on = to == JobStatus::kCompleted && !job.next_job_id.empty();
  Json stored = passes_on ? result.metadata() : std::move(result.metadata());
  if (Finish(job, to, result.error(), std::move(stored)).ok()) {
    run.final_status = to;
    if (passes_on) run.metadata = std::move(result.metadata());
  }
}

Status JobExecutor::Finish(const Job& job, JobStatus to, const std::string& error, Json metadata) {
  TimePoint now = clock_.Now();
  Status written =
      repository_.TransitionJob(job.id, Transition{JobStatus::kInProgress, to, now, error,
                                                   JobResult{job.id, std::move(metadata), error}});
  if (!written.ok()) {
    if (written.code() != StatusCode::kConflict && written.code() != StatusCode::kNotFound) {
      logger_.Log(LogLevel::kError, "worker", "cannot store the outcome of a job",
                  {{"job_id", job.id}, {"error", written.message()}});
    }
    return written;
  }
  if (job.BelongsToPipeline()) {
    if (to != JobStatus::kCompleted) {
      FailPipeline(job, now);
    } else if (job.next_job_id.empty()) {
      repository_
          .TransitionPipeline(
              job.pipeline_id,
              Transition{JobStatus::kInProgress, JobStatus::kCompleted, now, {}, {}})
          .IgnoreError();
    }
  }
  return written;
}

// The remaining jobs are cancelled before the pipeline is marked FAILED, so a client that sees
// the pipeline FAILED never finds one of its jobs still PENDING.
void JobExecutor::FailPipeline(const Job& failed_job, TimePoint at) {
  std::string reason = "skipped: the pipeline's job " + failed_job.id + " (" + failed_job.name +
                       ") did not complete";
  std::string next_id = failed_job.next_job_id;
  while (!next_id.empty()) {
    auto next = repository_.GetJob(next_id);
    if (!next.ok()) break;
    repository_
        .TransitionJob(next_id, Transition{next->status, JobStatus::kCancelled, at, reason,
                                           JobResult{next_id, nullptr, reason}})
        .IgnoreError();
    next_id = next->next_job_id;
  }
  repository_
      .TransitionPipeline(failed_job.pipeline_id,
                          Transition{JobStatus::kInProgress, JobStatus::kFailed, at, {}, {}})
      .IgnoreError();
}

std::chrono::milliseconds JobExecutor::TimeoutOf(const Job& job) const {
  if (job.timeout <= 0) return options_.default_timeout;
  return job.timeout * options_.timeout_unit;
}

void JobExecutor::RequestStopAll() {
  std::lock_guard lock(running_mutex_);
  for (std::stop_source* stop : running_) stop->request_stop();
}

}  // namespace valet::core
