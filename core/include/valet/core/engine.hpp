#pragma once

#include <chrono>
#include <memory>

#include "valet/core/deadline_timer.hpp"
#include "valet/core/group_service.hpp"
#include "valet/core/job_executor.hpp"
#include "valet/core/job_factory.hpp"
#include "valet/core/job_service.hpp"
#include "valet/core/metrics.hpp"
#include "valet/core/pipeline_service.hpp"
#include "valet/core/pruner.hpp"
#include "valet/core/recovery.hpp"
#include "valet/core/result_service.hpp"
#include "valet/core/running_jobs.hpp"
#include "valet/core/schedule_service.hpp"
#include "valet/core/scheduler.hpp"
#include "valet/core/task_registry.hpp"
#include "valet/core/ticker.hpp"
#include "valet/core/worker_pool.hpp"

namespace valet::core {

struct EngineOptions {
  int workers = 4;
  // False for a process that only takes requests (valetd --role api): no worker pool.
  bool run_workers = true;
  ExecutorOptions executor;  // the lease length and the retry backoff among them
  // The retries of a job that does not say (its max_retries).
  int default_max_retries = 0;
  std::chrono::milliseconds repository_polling_interval{60'000};
  // The longest before the schedules' due ticks are looked for (schedules stored by other
  // instances are seen within it).
  std::chrono::milliseconds schedule_polling_interval{1'000};
  // The longest a worker blocks in Receive() before it looks again (and notices a stop).
  std::chrono::milliseconds job_queue_polling_interval{1'000};
  // See RecoveryOptions.
  std::chrono::milliseconds requeue_stranded_after{std::chrono::minutes{5}};
  ServiceOptions services;     // the idempotency window (on_cancelled is the engine's own)
  RetentionOptions retention;  // none by default: finished jobs are kept
};

// The core wired together: the services that take work in, and the scheduler, the ticks of the
// schedules and the
// settling of groups, the recovery of
// lost and stranded jobs, and the worker pool (with the leases of its running jobs) that carry it
// out, over one repository and one queue. The API adapters drive the services; the app (or an
// embedding program) owns the engine.
class Engine {
 public:
  Engine(EngineOptions options, JobRepository& repository, JobQueue& queue,
         const TaskRegistry& tasks, Clock& clock, IdGenerator& ids, Logger& logger);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  JobService& jobs() { return jobs_; }
  PipelineService& pipelines() { return pipelines_; }
  ResultService& results() { return results_; }
  ScheduleService& schedules() { return schedules_; }
  GroupService& groups() { return groups_; }
  int busy_workers() const { return pool_.busy_workers(); }
  // What /metrics shows; the API adapters add their requests to it.
  Metrics& metrics() { return metrics_; }

  // Before Start(): schedules from config.yaml or code, stored once the engine runs (see
  // ScheduleService::Declare). Check them first with schedules().Validate().
  void Declare(std::vector<DeclaredSchedule> declared) { ticker_.Declare(std::move(declared)); }
  // Starts the scheduler, the schedules' ticks, the recovery and the workers.
  void Start();
  // Stops scheduling and intake from the queue, lets running jobs finish within `grace`, hands
  // back the jobs that did not, and returns when the workers are done.
  void Stop(std::chrono::milliseconds grace);

 private:
  const bool run_workers_;
  JobQueue& queue_;
  Metrics metrics_;
  DeadlineTimer timer_;
  JobFactory factory_;
  Scheduler scheduler_;
  RunningJobs running_jobs_;
  Recovery recovery_;
  JobService jobs_;
  PipelineService pipelines_;
  ResultService results_;
  ScheduleService schedules_;
  GroupService groups_;
  Ticker ticker_;
  Pruner pruner_;
  JobExecutor executor_;
  WorkerPool pool_;
  bool running_ = false;
};

}  // namespace valet::core
