#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "valet/core/access_policy.hpp"
#include "valet/core/group_service.hpp"
#include "valet/core/job_service.hpp"
#include "valet/core/metrics.hpp"
#include "valet/core/pipeline_service.hpp"
#include "valet/core/result_service.hpp"
#include "valet/core/schedule_service.hpp"
#include "valet/core/task_registry.hpp"
#include "valet/ports/api_server.hpp"
#include "valet/ports/clock.hpp"
#include "valet/ports/job_queue.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/json.hpp"
#include "valet/ports/logger.hpp"

namespace valet::core {

// What an adapter factory gets: its own section of config.yaml as JSON (for
// `job_queue.option: memory` that is `job_queue.memory_job_queue`), the section's key path for
// error messages, and the shared services.
struct AdapterSettings {
  const Json& section;
  std::string key;  // "job_queue.memory_job_queue"
  Clock& clock;
  Logger& logger;
  // Reads a secret such as "POSTGRES_DSN" (environment, then /run/secrets); "" when unset.
  std::function<std::string(const std::string&)> secret;
  // worker_pool.queue_capacity: how many jobs a broker that pushes may hand this process ahead of
  // its workers (its prefetch); 0 when unknown.
  int queue_capacity = 0;
};

// What an API server drives.
struct ApiContext {
  JobService& jobs;
  PipelineService& pipelines;
  ResultService& results;
  ScheduleService& schedules;
  GroupService& groups;
  const TaskRegistry& tasks;
  JobRepository& repository;  // for health
  JobQueue& queue;            // for health and depth
  Clock& clock;
  Logger& logger;
  std::string version;
  const AccessPolicy& access;  // who may call the API, and which addresses it may listen on
  Metrics& metrics;            // /metrics, where the servers count their requests
};

using RepositoryFactory =
    std::function<Result<std::unique_ptr<JobRepository>>(const AdapterSettings&)>;
using QueueFactory = std::function<Result<std::unique_ptr<JobQueue>>(const AdapterSettings&)>;
using ServerFactory =
    std::function<Result<std::unique_ptr<ApiServer>>(const AdapterSettings&, ApiContext&)>;

// The adapters linked into this binary, by the name config.yaml uses for them. Each adapter
// library has a Register(AdapterRegistry&) function; the build generates the calls for the
// adapters it includes. Filled at start-up, then only read.
class AdapterRegistry {
 public:
  // `section` is the config key under the port's section that holds this adapter's settings
  // ("memory_job_queue" for the memory queue, "http" for the HTTP server).
  void AddRepository(const std::string& name, const std::string& section,
                     RepositoryFactory factory);
  void AddQueue(const std::string& name, const std::string& section, QueueFactory factory);
  void AddServer(const std::string& name, const std::string& section, ServerFactory factory);

  template <typename Factory>
  struct Entry {
    std::string section;
    Factory factory;
  };
  const Entry<RepositoryFactory>* FindRepository(const std::string& name) const;
  const Entry<QueueFactory>* FindQueue(const std::string& name) const;
  const Entry<ServerFactory>* FindServer(const std::string& name) const;

  // "repository: memory, mysql; job_queue: memory; server: http" for --version.
  std::string Describe() const;

 private:
  std::map<std::string, Entry<RepositoryFactory>> repositories_;
  std::map<std::string, Entry<QueueFactory>> queues_;
  std::map<std::string, Entry<ServerFactory>> servers_;
};

}  // namespace valet::core
