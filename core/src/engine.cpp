#include "valet/core/engine.hpp"

namespace valet::core {

namespace {

ServiceOptions WithEngineHooks(ServiceOptions options, RunningJobs& running, JobMetrics& metrics) {
  options.on_cancelled = [&running](const std::string& job_id) { running.RequestStop(job_id); };
  options.on_submitted = [&metrics](const std::string& task) { metrics.Submitted(task); };
  return options;
}

RecoveryOptions RecoveryFrom(const EngineOptions& options) {
  RecoveryOptions recovery;
  recovery.lease = options.executor.lease;
  recovery.requeue_stranded_after = options.requeue_stranded_after;
  return recovery;
}

}  // namespace

Engine::Engine(EngineOptions options, JobRepository& repository, JobQueue& queue,
               const TaskRegistry& tasks, Clock& clock, IdGenerator& ids, Logger& logger)
    : run_workers_(options.run_workers),
      queue_(queue),
      metrics_(tasks.Names(), clock),
      factory_(tasks, clock, ids, options.default_max_retries),
      scheduler_(repository, queue, clock, logger, options.repository_polling_interval),
      running_jobs_(repository, clock, logger, options.executor.lease),
      recovery_(repository, queue, clock, logger, RecoveryFrom(options),
                [this](TimePoint at) { scheduler_.Notify(at); }),
      jobs_(
          repository, queue, factory_, [this](TimePoint at) { scheduler_.Notify(at); },
          WithEngineHooks(options.services, running_jobs_, metrics_.jobs)),
      pipelines_(
          repository, queue, factory_, [this](TimePoint at) { scheduler_.Notify(at); },
          WithEngineHooks(options.services, running_jobs_, metrics_.jobs)),
      results_(repository),
      schedules_(repository.Schedules(), jobs_, pipelines_, factory_, logger),
      groups_(repository.Groups(), jobs_, pipelines_, results_, factory_, logger),
      ticker_(schedules_, groups_, clock, logger, options.schedule_polling_interval),
      pruner_(repository, clock, logger, metrics_, options.retention),
      executor_(repository, tasks, clock, ids, logger, timer_, running_jobs_, options.executor),
      pool_(queue, repository, executor_, logger, options.workers,
            options.job_queue_polling_interval) {
  executor_.SetRequeueHandler([this](TimePoint at) { scheduler_.Notify(at); });
  executor_.SetMetrics(metrics_.jobs);
  metrics_.SetWorkers(run_workers_ ? options.workers : 0);
  metrics_.SetBusyWorkers([this] { return pool_.busy_workers(); });
}

Engine::~Engine() {
  if (running_) Stop(std::chrono::milliseconds{0});
}

void Engine::Start() {
  running_ = true;
  scheduler_.Start();
  ticker_.Start();
  recovery_.Start();
  pruner_.Start();
  if (!run_workers_) return;
  running_jobs_.Start();
  pool_.Start();
}

void Engine::Stop(std::chrono::milliseconds grace) {
  running_ = false;
  ticker_.Stop();
  scheduler_.Stop();
  recovery_.Stop();
  pruner_.Stop();
  queue_.Close();
  pool_.Stop(grace);
  // Leases are renewed until the last job is settled or handed back.
  running_jobs_.Stop();
}

}  // namespace valet::core
