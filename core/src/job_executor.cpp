#include "valet/core/job_executor.hpp"

#include <exception>
#include <memory>
#include <vector>

#include "valet/core/attempts.hpp"
#include "valet/core/pipeline_failure.hpp"
#include "valet/core/progress_reporter.hpp"

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
};

// The status change that settles an attempt, and what kind of ending it was.
struct JobExecutor::Decision {
  Transition transition;
  bool retrying = false;
  bool handed_back = false;
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
    if (metrics_) metrics_->Started(run.job.task_name);
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
  if (job.BelongsToPipeline() && job.previous_job_id.empty()) {
    repository_
        .TransitionPipeline(
            job.pipeline_id,
            Transition{JobStatus::kPending, JobStatus::kInProgress, *job.started_at, {}, {}})
        .IgnoreError();
  }

  const TaskFunction* task = tasks_.Find(job.task_name);
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
  auto timeout = TimeoutOf(job);
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
  try {
    TaskContext context(job.id, job.task_params, std::move(run.previous_result), stop.get_token(),
                        job.attempt);
    context.SetLogger(logger_, job.task_name);
    context.SetProgressSink([&progress](double fraction, std::string message) {
      progress.Report(fraction, std::move(message));
    });
    result = (*task)(context);
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
  if (Settle(job, Ending{to, result.error(), std::move(stored), result.permanent() || bad_params},
             &run) &&
      passes_on) {
    run.metadata = std::move(result.metadata());
  }
}

bool JobExecutor::Settle(const Job& job, const Ending& ending, JobRun* run) {
  Decision decision = Decide(job, ending);
  if (run && run->delivery && writer_ && !job.BelongsToPipeline()) {
    // What AfterSettled() reads of a job outside a pipeline; the rest (params above all) stays.
    Job settled;
    settled.id = job.id;
    settled.task_name = job.task_name;
    settled.attempt = job.attempt;
    settled.started_at = job.started_at;
    writer_->Write(
        {{job.id, decision.transition},
         *run->delivery,
         [this, settled = std::move(settled), decision, error = ending.error](bool applied) {
           if (applied) AfterSettled(settled, decision, error);
         }});
    run->deferred = true;
    return true;
  }
  Status written = repository_.TransitionJob(job.id, decision.transition);
  if (!written.ok()) {
    if (written.code() != StatusCode::kConflict && written.code() != StatusCode::kNotFound) {
      logger_.Write(LogLevel::kError, "worker", "cannot store the outcome of a job",
                    JobFields(job, written.message()));
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
    decision.transition = Transition{JobStatus::kInProgress, ending.status, now, ending.error,
                                     JobResult{job.id, ending.metadata, ending.error}};
    if (ending.status == JobStatus::kCompleted) {
      decision.transition.schedule_next_job_id = job.next_job_id;
    }
  }
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
  }
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

std::chrono::milliseconds JobExecutor::TimeoutOf(const Job& job) const {
  if (job.timeout <= 0) return options_.default_timeout;
  return job.timeout * options_.timeout_unit;
}

void JobExecutor::HandBackAll() {
  handing_back_ = true;
  running_.RequestStopAll();
}

}  // namespace valet::core
