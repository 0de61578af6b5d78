#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>

#include "valet/core/deadline_timer.hpp"
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
};

// Runs delivered jobs: moves each to IN_PROGRESS, calls its task with a stop token, enforces the
// timeout, and stores the result together with the terminal status. For a pipeline it then runs
// the following jobs in order, passing results along when asked, and on a failure fails the
// pipeline and cancels the jobs that were left.
//
// Every status write is a compare-and-set, so when a timeout and the task's own return race,
// exactly one of them decides the outcome. Safe to call from many worker threads at once.
class JobExecutor {
 public:
  enum class Disposition { kAck, kRequeue };
  struct Outcome {
    Disposition disposition = Disposition::kAck;
    // The task overran its deadline; a replacement worker was started and this one should retire
    // once the task returns, so an uncooperative task cannot shrink the pool for good.
    bool worker_abandoned = false;
  };

  JobExecutor(JobRepository& repository, const TaskRegistry& tasks, Clock& clock, IdGenerator& ids,
              Logger& logger, DeadlineTimer& timer, ExecutorOptions options)
      : repository_(repository),
        tasks_(tasks),
        clock_(clock),
        ids_(ids),
        logger_(logger),
        timer_(timer),
        options_(options) {}

  // Called on the timer thread whenever a task overruns its deadline.
  void SetAbandonHandler(std::function<void()> handler) { on_abandon_ = std::move(handler); }

  Outcome Execute(const Delivery& delivery);

  // Asks every running task to stop (shutdown past its grace period).
  void RequestStopAll();

 private:
  struct JobRun;

  Result<Job> ResumeLostRun(const std::string& id);
  void RunJob(JobRun& run);
  std::optional<Json> PreviousResultFor(const Job& job);
  Status Finish(const Job& job, JobStatus to, const std::string& error, Json metadata);
  void FailPipeline(const Job& failed_job, TimePoint at);
  std::chrono::milliseconds TimeoutOf(const Job& job) const;

  JobRepository& repository_;
  const TaskRegistry& tasks_;
  Clock& clock_;
  IdGenerator& ids_;
  Logger& logger_;
  DeadlineTimer& timer_;
  ExecutorOptions options_;
  std::function<void()> on_abandon_;

  std::mutex running_mutex_;
  std::set<std::stop_source*> running_;
};

}  // namespace valet::core
