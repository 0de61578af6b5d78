#include "valet/core/engine.hpp"

namespace valet::core {

Engine::Engine(EngineOptions options, JobRepository& repository, JobQueue& queue,
               const TaskRegistry& tasks, Clock& clock, IdGenerator& ids, Logger& logger)
    : queue_(queue),
      factory_(tasks, clock, ids),
      scheduler_(repository, queue, clock, logger, options.repository_polling_interval),
      jobs_(repository, queue, factory_, [this](TimePoint at) { scheduler_.Notify(at); }),
      pipelines_(repository, queue, factory_, [this](TimePoint at) { scheduler_.Notify(at); }),
      results_(repository),
      executor_(repository, tasks, clock, ids, logger, timer_, options.executor),
      pool_(queue, executor_, logger, options.workers, options.job_queue_polling_interval) {}

Engine::~Engine() {
  if (running_) Stop(std::chrono::milliseconds{0});
}

void Engine::Start() {
  running_ = true;
  scheduler_.Start();
  pool_.Start();
}

void Engine::Stop(std::chrono::milliseconds grace) {
  running_ = false;
  scheduler_.Stop();
  queue_.Close();
  pool_.Stop(grace);
}

}  // namespace valet::core
