#include "valet/core/job_executor.hpp"

#include <exception>
#include <memory>
#include <vector>

#include "valet/core/attempts.hpp"
#include "valet/core/pipeline_failure.hpp"
#include "valet/core/progress_reporter.hpp"
#include "valet/core/task_options.hpp"

namespace valet::core {

namespace {

// The fields that tie a log line to one run of a job.
std::vector<LogField> JobFields(const Job& job, std::string error = {}) {
  std::vector<LogField> fields{
      {"job_id", job.id}, {"task", job.task_name}, {"attempt", std::to_string(job.attempt)}};
  if (!error.empty()) fields.push_back({"error", std::move(error)});
  return fields;
}

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
  // Filled in by Settle: the status this run left the job in, or nullopt if another party
  // (a timeout, a cancel, a newer attempt) decided the outcome.
  std::optional<JobStatus> final_status;
  Json metadata;  // a completed pipeline job's result, for the next job
  bool abandoned = false;
  // The delivery that brought the job, when the outcome writer may ack it.
  const Delivery* delivery = nullptr;
  // The outcome went to the outcome writer, which acks the delivery.
  bool deferred = false;
};

// How an attempt ended, before the retry policy has had its say.
struct JobExecutor::Ending {
  JobStatus status;
  std::string error;
  Json metadata;
  bool permanent = false;
  bool no_result = false;
};

// The status change that settles an attempt, and what kind of ending it was.
struct JobExecutor::Decision {
  Transition transition;
  bool retrying = false;
  bool handed_back = false;
  // What the metrics count besides the status: the task ruled out a retry, or stored no result.
  bool failed_permanently = false;
  bool without_result = false;
};

JobExecutor::Outcome JobExecutor::Execute(const Delivery& delivery) {
  return ExecuteFrom(delivery, std::nullopt);
}

JobExecutor::Outcome JobExecutor::Execute(const Delivery& delivery, Job started) {
  return ExecuteFrom(delivery, std::move(started));
}

Result<std::vector<Job>> JobExecutor::Claim(const std::vector<Delivery>& deliveries) {
  std::vector<std::string> ids;
  ids.reserve(deliveries.size());
  for (const Delivery& delivery : deliveries) ids.push_back(delivery.job_id);
  TimePoint now = clock_.Now();
  return repository_.StartJobs(ids, Lease{ids_.NewId(), now, now + options_.lease});
}

JobExecutor::Outcome JobExecutor::ExecuteFrom(const Delivery& delivery,
                                              std::optional<Job> started) {
  Outcome outcome;
  std::string next_id = delivery.job_id;
  std::optional<Json> passed_on;  // the result of the pipeline job just completed here
  bool first = true;
  while (!next_id.empty()) {
    JobRun run;
    if (first && started) {
      run.job = std::move(*started);
    } else {
      TimePoint now = clock_.Now();
      auto claimed = repository_.StartJob(next_id, Lease{ids_.NewId(), now, now + options_.lease});
      if (!claimed.ok()) {
        // Deleted, cancelled, finished or running elsewhere: the repository has the job's
        // truth, and a lost run is recovered from there once its lease runs out, so this
        // delivery is done.
        StatusCode code = claimed.status().code();
        if (code == StatusCode::kNotFound || code == StatusCode::kConflict) break;
        logger_.Log(LogLevel::kWarning, "worker", "cannot start job",
                    {{"job_id", next_id}, {"error", claimed.status().message()}});
        if (first) outcome.disposition = Disposition::kRequeue;
        break;
      }
      run.job = std::move(*claimed);
    }
    if (first) run.delivery = &delivery;
    if (run.job.use_previous_results) {
      run.previous_result = first ? PreviousResultFor(run.job) : std::move(passed_on);
    }
    RunJob(run);
    outcome.worker_abandoned |= run.abandoned;
    if (run.deferred) outcome.disposition = Disposition::kDeferred;
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
  const RegisteredTask* task = tasks_.Find(job.task_name);
  if (task && !task->TryEnter()) {
    Postpone(job, task->options().concurrency_retry_after);
    return;
  }
  // Counts the run as over for the concurrency limit however RunJob() returns.
  struct Entered {
    const RegisteredTask* task;
    ~Entered() {
      if (task) task->Leave();
    }
  } entered{task};
  if (metrics_) metrics_->Started(job.task_name);

  if (job.BelongsToPipeline() && job.previous_job_id.empty()) {
    repository_
        .TransitionPipeline(
            job.pipeline_id,
            Transition{JobStatus::kPending, JobStatus::kInProgress, *job.started_at, {}, {}})
        .IgnoreError();
  }

  if (!task) {
    Settle(job,
           Ending{JobStatus::kFailed,
                  "task " + job.task_name + " is not registered in this valet instance", nullptr,
                  /*permanent=*/true},
           &run);
    return;
  }

  // The timer may settle the job while the task still runs; `stop` outlives both sides. The
  // callback may read `job` by reference: Cancel() below waits for a running callback, so `job`
  // outlives it.
  std::stop_source stop;
  auto timeout = TimeoutOf(job, *task);
  std::uint64_t timer =
      timer_.Schedule(std::chrono::steady_clock::now() + timeout, [this, stop, &job, timeout] {
        std::stop_source(stop).request_stop();
        std::string reason = "job timed out after " + DescribeDuration(timeout);
        if (Settle(job, Ending{JobStatus::kFailed, reason, nullptr}, nullptr)) {
          logger_.Write(LogLevel::kWarning, "worker", reason, JobFields(job));
        }
        if (on_abandon_) on_abandon_();
      });
  running_.Add(job.id, job.lease_token, stop);

  TaskResult result;
  bool bad_params = false;
  ProgressReporter progress(repository_, job.id, job.lease_token);
  tasks_.Notify(HookPoint::kProcessing, JobEvent{job, {}}, logger_);
  try {
    TaskContext context(job.id, job.task_params, std::move(run.previous_result), stop.get_token(),
                        job.attempt);
    context.SetLogger(logger_, job.task_name);
    context.SetProgressSink([&progress](double fraction, std::string message) {
      progress.Report(fraction, std::move(message));
    });
    result = tasks_.Run(*task, context);
  } catch (const TaskParamsError& error) {
    result = Failure(error.what());
    bad_params = true;
  } catch (const std::exception& error) {
    result = Failure(error.what());
  } catch (...) {
    result = Failure("task threw an exception that is not a std::exception");
  }

  progress.Flush();
  running_.Remove(job.id);
  if (!timer_.Cancel(timer)) {
    run.abandoned = true;  // the timeout decided the outcome and started a replacement worker
    return;
  }

  JobStatus to = StatusFor(result.kind());
  // The metadata is needed again only to pass it to the pipeline's next job.
  bool passes_on = to == JobStatus::kCompleted && !job.next_job_id.empty();
  Json stored = passes_on ? result.metadata() : std::move(result.metadata());
  Ending ending{to, result.error(), std::move(stored), result.permanent() || bad_params,
                result.no_result()};
  if (Settle(job, ending, &run) && passes_on) {
    run.metadata = std::move(result.metadata());
  }
}

bool JobExecutor::Settle(const Job& job, const Ending& ending, JobRun* run) {
  Decision decision = Decide(job, ending);
  if (run && run->delivery && writer_ && !job.BelongsToPipeline()) {
    writer_->Write(
        {{job.id, decision.transition},
         *run->delivery,
         [this, settled = KeptForAfterSettled(job), decision, error = ending.error](bool applied) {
           if (applied) {
             AfterSettled(settled, decision, error);
           } else {
             NoticeCancelled(settled);
           }
         }});
    run->deferred = true;
    return true;
  }
  Status written = repository_.TransitionJob(job.id, decision.transition);
  if (!written.ok()) {
    if (written.code() != StatusCode::kConflict && written.code() != StatusCode::kNotFound) {
      logger_.Write(LogLevel::kError, "worker", "cannot store the outcome of a job",
                    JobFields(job, written.message()));
    } else if (run && written.code() == StatusCode::kConflict) {
      NoticeCancelled(job);
    }
    return false;
  }
  if (run) run->final_status = decision.transition.to;
  AfterSettled(job, decision, ending.error);
  return true;
}

JobExecutor::Decision JobExecutor::Decide(const Job& job, const Ending& ending) {
  TimePoint now = clock_.Now();
  Decision decision;
  decision.handed_back = handing_back_ && ending.status != JobStatus::kCompleted;
  if (decision.handed_back) {
    // Shutting down: the attempt is not held against the job; it runs again elsewhere.
    decision.transition =
        Transition{JobStatus::kInProgress, JobStatus::kPending, now, {}, std::nullopt};
    decision.transition.run_at = now;
  } else if (ending.status == JobStatus::kFailed) {
    decision.transition = RetryOrFail(job, ending, now, decision.retrying);
  } else {
    decision.without_result = ending.no_result && ending.status == JobStatus::kCompleted;
    decision.transition =
        Transition{JobStatus::kInProgress, ending.status, now, ending.error, std::nullopt};
    if (!decision.without_result) {
      decision.transition.result = JobResult{job.id, ending.metadata, ending.error};
    }
    if (ending.status == JobStatus::kCompleted) {
      decision.transition.schedule_next_job_id = job.next_job_id;
    }
  }
  decision.failed_permanently =
      ending.permanent && decision.transition.to == JobStatus::kFailed && !decision.handed_back;
  decision.transition.lease_token = job.lease_token;
  return decision;
}

void JobExecutor::AfterSettled(const Job& job, const Decision& decision, const std::string& error) {
  const Transition& transition = decision.transition;
  TimePoint now = transition.at;
  if (metrics_ && !decision.handed_back) {
    auto run_time = job.started_at ? now - *job.started_at : TimePoint::duration{};
    metrics_->Ended(job.task_name, transition.to,
                    std::chrono::duration_cast<std::chrono::duration<double>>(run_time));
    if (decision.failed_permanently) metrics_->FailedPermanently(job.task_name);
    if (decision.without_result) metrics_->CompletedWithoutResult(job.task_name);
  }
  if (!decision.handed_back) NotifyOutcome(job, decision, error);
  if (transition.to == JobStatus::kPending) {
    if (decision.retrying) {
      logger_.Write(LogLevel::kWarning, "worker", "job failed; it will be retried",
                    JobFields(job, error));
    }
    if (on_requeue_) on_requeue_(*transition.run_at);
    return;
  }
  if (job.BelongsToPipeline()) {
    if (transition.to != JobStatus::kCompleted) {
      FailPipelineAfter(repository_, job, now);
    } else if (job.next_job_id.empty()) {
      repository_
          .TransitionPipeline(
              job.pipeline_id,
              Transition{JobStatus::kInProgress, JobStatus::kCompleted, now, {}, {}})
          .IgnoreError();
    }
  }
}

Transition JobExecutor::RetryOrFail(const Job& job, const Ending& ending, TimePoint now,
                                    bool& retrying) {
  Json attempts = WithAttempt(job, now, ending.error);
  int failures = FailedAttempts(attempts);
  retrying = !ending.permanent && failures <= job.max_retries;
  Transition transition;
  if (retrying) {
    transition = Transition{JobStatus::kInProgress, JobStatus::kPending, now, ending.error, {}};
    transition.run_at = now + std::chrono::duration_cast<std::chrono::microseconds>(
                                  retry_policy_.DelayBefore(failures));
  } else {
    transition = Transition{JobStatus::kInProgress, JobStatus::kFailed, now, ending.error,
                            JobResult{job.id, ending.metadata, ending.error}};
  }
  transition.attempts = std::move(attempts);
  return transition;
}

std::chrono::milliseconds JobExecutor::TimeoutOf(const Job& job, const RegisteredTask& task) const {
  if (job.timeout > 0) return job.timeout * options_.timeout_unit;
  if (task.options().timeout.count() > 0) return task.options().timeout;
  return options_.default_timeout;
}

void JobExecutor::Postpone(const Job& job, std::chrono::milliseconds delay) {
  TimePoint now = clock_.Now();
  Transition back{JobStatus::kInProgress, JobStatus::kPending, now, {}, std::nullopt};
  back.run_at = now + std::chrono::duration_cast<std::chrono::microseconds>(delay);
  back.lease_token = job.lease_token;
  // If this write fails, the lease runs out and recovery queues the job again.
  if (!repository_.TransitionJob(job.id, back).ok()) return;
  if (metrics_) metrics_->Postponed(job.task_name);
  if (on_requeue_) on_requeue_(*back.run_at);
}

Job JobExecutor::KeptForAfterSettled(const Job& job) const {
  // Hooks are handed the whole job; without them only what AfterSettled() reads of a job
  // outside a pipeline is kept, not its params.
  if (tasks_.HasHooks()) return job;
  Job kept;
  kept.id = job.id;
  kept.task_name = job.task_name;
  kept.attempt = job.attempt;
  kept.started_at = job.started_at;
  return kept;
}

void JobExecutor::NotifyOutcome(const Job& job, const Decision& decision,
                                const std::string& error) {
  if (!tasks_.HasHooks()) return;
  HookPoint point;
  switch (decision.transition.to) {
    case JobStatus::kPending:
      if (!decision.retrying) return;
      point = HookPoint::kRetrying;
      break;
    case JobStatus::kCompleted:
      point = HookPoint::kSuccess;
      break;
    case JobStatus::kFailed:
      point = HookPoint::kFailure;
      break;
    case JobStatus::kCancelled:
      point = HookPoint::kCancelled;
      break;
    default:
      return;
  }
  tasks_.Notify(point, JobEvent{job, error}, logger_);
}

void JobExecutor::NoticeCancelled(const Job& job) {
  if (!tasks_.HasHooks()) return;
  // The worker's outcome lost to another write; a cancel through the API is the one to tell.
  auto now = repository_.GetJob(job.id);
  if (!now.ok() || now->status != JobStatus::kCancelled) return;
  tasks_.Notify(HookPoint::kCancelled, JobEvent{job, now->failure_reason}, logger_);
}

void JobExecutor::HandBackAll() {
  handing_back_ = true;
  running_.RequestStopAll();
}

}  // namespace valet::core
