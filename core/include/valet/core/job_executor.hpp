#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "valet/core/deadline_timer.hpp"
#include "valet/core/job_metrics.hpp"
#include "valet/core/outcome_writer.hpp"
#include "valet/core/retry_policy.hpp"
#include "valet/core/running_jobs.hpp"
#include "valet/core/task_registry.hpp"
#include "valet/ports/clock.hpp"
#include "valet/ports/id_generator.hpp"
#include "valet/ports/job_queue.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/logger.hpp"

namespace valet::core {

struct ExecutorOptions {
  // What one unit of a job's `timeout` lasts (valet's timeout_unit).
  std::chrono::milliseconds timeout_unit{1000};
  // Applied when a job's timeout is 0.
  std::chrono::milliseconds default_timeout{std::chrono::hours{24}};
  // How long a running job's lease lasts without a renewal.
  std::chrono::milliseconds lease{30'000};
  RetryOptions retry;
};

// Runs delivered jobs: claims each in the repository under a fresh lease (moving it to
// IN_PROGRESS), calls its task with a stop token, enforces the timeout, and stores the outcome:
// the result together with the terminal status, or, for a failure with retries left, the job
// back to PENDING with the time of its retry. For a pipeline it then runs the following jobs in
// order, passing results along when asked, and on a failure fails the pipeline and cancels the
// jobs that were left.
//
// Every write of an outcome is a compare-and-set fenced by the attempt's lease token, so when a
// timeout, a cancel, a lost lease and the task's own return race, exactly one of them decides,
// and a worker whose lease was taken over writes nothing. Safe to call from many worker threads.
class JobExecutor {
 public:
  // What the worker does with the delivery: ack it, give it back, or leave it to the outcome
  // writer, which acks it once the job's outcome is stored.
  enum class Disposition { kAck, kRequeue, kDeferred };
  struct Outcome {
    Disposition disposition = Disposition::kAck;
    // The task overran its deadline; a replacement worker was started and this one should retire
    // once the task returns, so an uncooperative task cannot shrink the pool for good.
    bool worker_abandoned = false;
  };

  JobExecutor(JobRepository& repository, const TaskRegistry& tasks, Clock& clock, IdGenerator& ids,
              Logger& logger, DeadlineTimer& timer, RunningJobs& running, ExecutorOptions options)
      : repository_(repository),
        tasks_(tasks),
        clock_(clock),
        ids_(ids),
        logger_(logger),
        timer_(timer),
        running_(running),
        options_(options),
        retry_policy_(options.retry) {}

  // Called on the timer thread whenever a task overruns its deadline.
  void SetAbandonHandler(std::function<void()> handler) { on_abandon_ = std::move(handler); }
  // Called with the time a job falls due again after it went back to PENDING (a retry or a
  // hand-back), so the scheduler wakes in time.
  void SetRequeueHandler(std::function<void(TimePoint)> handler) {
    on_requeue_ = std::move(handler);
  }

  // Counts every run started and how it ended, by task.
  void SetMetrics(JobMetrics& metrics) { metrics_ = &metrics; }

  // Claims the delivered job and runs it (and, for a pipeline, the jobs after it).
  Outcome Execute(const Delivery& delivery);
  // Claims the delivered jobs in one StartJobs() call, under one fresh lease, and returns the
  // jobs claimed. A delivered job that is not claimed is deleted, finished or running elsewhere.
  Result<std::vector<Job>> Claim(const std::vector<Delivery>& deliveries);
  // Runs a job that Claim() returned, as Execute() does.
  Outcome Execute(const Delivery& delivery, Job started);

  // From now on the outcome of a job outside a pipeline, when its task returns, goes through
  // `writer`, and Execute() returns kDeferred for it. Call before the workers start.
  void SetOutcomeWriter(OutcomeWriter& writer) { writer_ = &writer; }

  // Shutdown past its grace period: from now on a task that stops without success hands its job
  // back (PENDING, due at once, no attempt counted) for another process or the next start, and
  // every running task is asked to stop.
  void HandBackAll();

 private:
  struct JobRun;
  struct Ending;
  struct Decision;

  Outcome ExecuteFrom(const Delivery& delivery, std::optional<Job> started);
  void RunJob(JobRun& run);
  std::optional<Json> PreviousResultFor(const Job& job);
  // Stores how the attempt ended; true if this call decided the job's outcome.
  bool Settle(const Job& job, const Ending& ending, JobRun* run);
  Decision Decide(const Job& job, const Ending& ending);
  // What follows a stored outcome: metrics, the retry's wake-up, the pipeline's next state.
  void AfterSettled(const Job& job, const Decision& decision, const std::string& error);
  Transition RetryOrFail(const Job& job, const Ending& ending, TimePoint now, bool& retrying);
  std::chrono::milliseconds TimeoutOf(const Job& job, const RegisteredTask& task) const;
  // Hands a job over its task's concurrency limit back, due again after `delay`.
  void Postpone(const Job& job, std::chrono::milliseconds delay);
  // What the outcome writer keeps of a job until its outcome is stored.
  Job KeptForAfterSettled(const Job& job) const;
  // The hook for the outcome just stored.
  void NotifyOutcome(const Job& job, const Decision& decision, const std::string& error);
  // After the worker's outcome lost a race: on_cancelled if a cancel was the winner.
  void NoticeCancelled(const Job& job);

  JobRepository& repository_;
  const TaskRegistry& tasks_;
  Clock& clock_;
  IdGenerator& ids_;
  Logger& logger_;
  DeadlineTimer& timer_;
  RunningJobs& running_;
  ExecutorOptions options_;
  RetryPolicy retry_policy_;
  std::function<void()> on_abandon_;
  std::function<void(TimePoint)> on_requeue_;
  std::atomic<bool> handing_back_{false};
  JobMetrics* metrics_ = nullptr;
  OutcomeWriter* writer_ = nullptr;
};

}  // namespace valet::core
