#include "valet/valet.hpp"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <vector>

#include "known_adapters.hpp"
#include "valet/app/built_adapters.hpp"
#include "valet/app/secrets.hpp"
#include "valet_runtime.hpp"

namespace valet {

namespace {

#ifndef VALET_VERSION
#define VALET_VERSION "0.0.0"
#endif

const Json& Section(const Json& parent, const std::string& key) {
  static const Json kEmpty = Json::object();
  if (!parent.is_object()) return kEmpty;
  auto it = parent.find(key);
  return it == parent.end() || it->is_null() ? kEmpty : *it;
}

Status NotBuilt(const std::string& key, const std::string& name) {
  return Status::InvalidArgument(key + ": " + name +
                                 " is not built into this binary - rebuild with -D" +
                                 app::BuildOptionFor(name) + "=ON");
}

// Builds one adapter from the registry, or says in one line why it cannot.
template <typename Entry, typename... Extra>
auto Build(const Entry* entry, const std::string& key, const std::string& name, const Json& parent,
           Clock& clock, Logger& logger, int queue_capacity, Extra&... extra)
    -> decltype(entry->factory(std::declval<core::AdapterSettings>(), extra...)) {
  if (!entry) return NotBuilt(key, name);
  std::string section_key = key.substr(0, key.find('.')) + "." + entry->section;
  core::AdapterSettings settings{Section(parent, entry->section),
                                 section_key,
                                 clock,
                                 logger,
                                 [](const std::string& secret) { return app::ReadSecret(secret); },
                                 queue_capacity};
  return entry->factory(settings, extra...);
}

// VALET_API_TOKEN and VALET_API_READ_TOKEN: each one token, or several separated by commas (so a
// token can be rotated without downtime).
Result<std::vector<std::string>> ReadTokens(const std::string& name) {
  constexpr std::size_t kShortest = 16;
  std::vector<std::string> tokens;
  std::string text = app::ReadSecret(name);
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = std::min(text.find(',', start), text.size());
    std::string token = text.substr(start, end - start);
    token.erase(0, token.find_first_not_of(" \t"));
    token.erase(token.find_last_not_of(" \t") + 1);
    if (!token.empty()) {
      if (token.size() < kShortest) {
        return Status::InvalidArgument(name + ": every token must be at least " +
                                       std::to_string(kShortest) + " characters long");
      }
      tokens.push_back(std::move(token));
    }
    start = end + 1;
  }
  return tokens;
}

Result<core::AccessPolicy> ReadAccessPolicy(bool allow_unauthenticated) {
  auto full = ReadTokens("VALET_API_TOKEN");
  if (!full.ok()) return full.status();
  auto read = ReadTokens("VALET_API_READ_TOKEN");
  if (!read.ok()) return read.status();
  return core::AccessPolicy(std::move(*full), std::move(*read), allow_unauthenticated);
}

int ExitCodeFor(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

const char* RoleName(app::Role role) {
  switch (role) {
    case app::Role::kApi:
      return "api";
    case app::Role::kWorker:
      return "worker";
    case app::Role::kAll:
      break;
  }
  return "all";
}

// API-only and worker-only processes meet through the queue and the repository, so those must
// be shared ones: the memory adapters live inside one process.
Status CheckRole(const app::Config& config) {
  if (config.role == app::Role::kAll) return Status::Ok();
  const char* what = config.queue_option == "memory"        ? "job_queue.option"
                     : config.repository_option == "memory" ? "repository.option"
                                                            : nullptr;
  if (!what) return Status::Ok();
  return Status::InvalidArgument(std::string("role: ") + RoleName(config.role) + " needs a " +
                                 what + " that other valetd processes share (not memory)");
}

// "http, grpc"; "none" for a process that serves no API.
std::string ApiNames(const app::Config& config, bool none) {
  if (none) return "none";
  std::string names;
  for (const std::string& protocol : config.protocols)
    names += (names.empty() ? "" : ", ") + protocol;
  return names;
}

core::EngineOptions EngineOptionsFrom(const app::Config& config) {
  core::EngineOptions options;
  options.workers = config.workers;
  options.run_workers = config.role != app::Role::kApi;
  options.executor.timeout_unit = config.timeout_unit;
  options.executor.lease = config.lease;
  options.executor.retry = core::RetryOptions{config.retry_backoff, config.retry_backoff_max};
  options.default_max_retries = config.max_retries;
  options.repository_polling_interval = config.repository_polling_interval;
  options.job_queue_polling_interval = config.job_queue_polling_interval;
  options.requeue_stranded_after = config.requeue_stranded_after;
  options.services.idempotency_window = config.idempotency_window;
  options.retention = config.retention;
  return options;
}

// The schedules of config.yaml and of AddSchedule(), checked against the registered tasks.
Result<std::vector<core::DeclaredSchedule>> DeclaredSchedules(
    const app::Config& config, const std::vector<core::ScheduleRequest>& in_code,
    const core::ScheduleService& schedules) {
  std::vector<core::DeclaredSchedule> declared;
  for (const auto& request : config.schedules) declared.push_back({request, "config"});
  for (const auto& request : in_code) {
    for (const auto& earlier : config.schedules) {
      if (earlier.name == request.name) {
        return Status::InvalidArgument("schedule \"" + request.name +
                                       "\" is declared both in config.yaml and in code");
      }
    }
    declared.push_back({request, "code"});
  }
  for (std::size_t i = 0; i < declared.size(); ++i) {
    if (Status valid = schedules.Validate(declared[i].request); !valid.ok()) {
      return Status::InvalidArgument((i < config.schedules.size()
                                          ? "schedules[" + std::to_string(i) + "]"
                                          : std::string("schedule")) +
                                     " \"" + declared[i].request.name + "\": " + valid.message());
    }
  }
  return declared;
}

}  // namespace

struct Valet::Tasks {
  core::TaskRegistry registry;
  std::vector<core::ScheduleRequest> schedules;  // declared in code
};

Valet::Valet(const std::string& config_path) : tasks_(std::make_unique<Tasks>()) {
  auto config = app::LoadConfigFile(config_path);
  if (!config.ok()) throw app::ConfigError(config.status().message());
  config_ = std::move(*config);
}

Valet::Valet(app::Config config) : config_(std::move(config)), tasks_(std::make_unique<Tasks>()) {}

Valet::~Valet() { Shutdown(); }

namespace {

// Tasks, middleware and hooks are read without a lock by the running workers.
void RefuseWhileRunning(bool running, const char* call) {
  if (running)
    throw std::logic_error(std::string(call) + " must be called before Start() or Run()");
}

}  // namespace

void Valet::RegisterTask(const std::string& name, TaskFunction task, TaskOptions options) {
  RefuseWhileRunning(runtime_ != nullptr, "RegisterTask()");
  Status added = tasks_->registry.Register(name, std::move(task), std::move(options));
  if (!added.ok()) throw std::invalid_argument(added.message());
}

void Valet::Use(TaskMiddleware middleware) {
  RefuseWhileRunning(runtime_ != nullptr, "Use()");
  Status added = tasks_->registry.Use(std::move(middleware));
  if (!added.ok()) throw std::invalid_argument(added.message());
}

void Valet::AddHooks(JobHooks hooks) {
  RefuseWhileRunning(runtime_ != nullptr, "AddHooks()");
  tasks_->registry.AddHooks(std::move(hooks));
}

void Valet::AddSchedule(const ScheduleRequest& schedule) {
  if (schedule.name.empty()) throw std::invalid_argument("a schedule needs a name");
  for (const ScheduleRequest& added : tasks_->schedules) {
    if (added.name == schedule.name) {
      throw std::invalid_argument("schedule \"" + schedule.name + "\" is added twice");
    }
  }
  tasks_->schedules.push_back(schedule);
}

void Valet::Stop() { stop_requested_ = true; }

void Valet::SetRole(const std::string& role) {
  auto parsed = app::ParseRole(role);
  if (!parsed.ok()) throw app::ConfigError(parsed.status().message());
  config_.role = *parsed;
}

std::string Valet::Version() { return VALET_VERSION; }

std::string Valet::LinkedAdapters() {
  core::AdapterRegistry registry;
  app::RegisterBuiltAdapters(registry);
  return registry.Describe();
}

int Valet::Start() {
  if (runtime_) {
    runtime_->logger.Log(LogLevel::kError, "valet", "Start() called while valet runs");
    return 1;
  }
  auto runtime = std::make_unique<Runtime>(config_.logging_format);
  Runtime& r = *runtime;
  app::RegisterBuiltAdapters(r.registry);
  auto fail = [&](const Status& status) {
    r.logger.Log(LogLevel::kError, "valet", status.message());
    return ExitCodeFor(status);
  };
  if (Status role = CheckRole(config_); !role.ok()) return fail(role);

  auto repository = Build(r.registry.FindRepository(config_.repository_option),
                          config_.repository_key + ".option", config_.repository_option,
                          config_.repository, r.clock, r.logger, config_.queue_capacity);
  if (!repository.ok()) return fail(repository.status());
  r.repository = std::move(*repository);
  auto queue =
      Build(r.registry.FindQueue(config_.queue_option), "job_queue.option", config_.queue_option,
            config_.job_queue, r.clock, r.logger, config_.queue_capacity);
  if (!queue.ok()) return fail(queue.status());
  r.queue = std::move(*queue);
  // A backend that is down at start-up is not fatal: the API answers 503 and /api/status says
  // which one, until the adapter reconnects by itself.
  for (auto [name, health] : {std::pair{"repository", r.repository->CheckHealth()},
                              std::pair{"job_queue", r.queue->CheckHealth()}}) {
    if (!health.ok()) {
      r.logger.Log(LogLevel::kWarning, "valet", "backend unavailable at start-up; retrying",
                   {{"backend", name}, {"error", health.message()}});
    }
  }

  r.engine = std::make_unique<core::Engine>(EngineOptionsFrom(config_), *r.repository, *r.queue,
                                            tasks_->registry, r.clock, r.ids, r.logger);
  auto declared = DeclaredSchedules(config_, tasks_->schedules, r.engine->schedules());
  if (!declared.ok()) return fail(declared.status());
  r.engine->Declare(std::move(*declared));
  auto access = ReadAccessPolicy(config_.allow_unauthenticated);
  if (!access.ok()) return fail(access.status());
  r.access.emplace(std::move(*access));
  r.api.reset(new core::ApiContext{r.engine->jobs(), r.engine->pipelines(), r.engine->results(),
                                   r.engine->schedules(), r.engine->groups(), tasks_->registry,
                                   *r.repository, *r.queue, r.clock, r.logger, "v" + Version(),
                                   *r.access, r.engine->metrics()});
  // A worker-only process serves no API.
  if (config_.role != app::Role::kWorker) {
    for (const std::string& protocol : config_.protocols) {
      auto built = Build(r.registry.FindServer(protocol), "server.protocol", protocol,
                         config_.server, r.clock, r.logger, config_.queue_capacity, *r.api);
      if (!built.ok()) return fail(built.status());
      r.servers.push_back(std::move(*built));
    }
  }

  r.engine->Start();
  for (std::size_t i = 0; i < r.servers.size(); ++i) {
    if (Status started = r.servers[i]->Start(); !started.ok()) {
      while (i > 0) r.servers[--i]->Stop();
      // The workers are idle and leave as soon as the queue closes; a zero grace period would
      // log that jobs are still running.
      r.engine->Stop(config_.shutdown_grace_period);
      return fail(started);
    }
  }
  r.logger.Log(
      LogLevel::kInfo, "valet", "started",
      {{"version", Version()},
       {"role", RoleName(config_.role)},
       {"api", ApiNames(config_, r.servers.empty())},
       {"repository", config_.repository_option},
       {"job_queue", config_.queue_option},
       {"workers", config_.role == app::Role::kApi ? "0" : std::to_string(config_.workers)}});
  runtime_ = std::move(runtime);
  return 0;
}

void Valet::Shutdown() {
  if (!runtime_) return;
  // No new requests from here on; the jobs already taken finish within the grace period.
  for (auto it = runtime_->servers.rbegin(); it != runtime_->servers.rend(); ++it) (*it)->Stop();
  runtime_->engine->Stop(config_.shutdown_grace_period);
  runtime_->logger.Log(LogLevel::kInfo, "valet", "stopped");
  runtime_.reset();
}

int Valet::Run() {
  // Signals are taken synchronously below; every thread started from here inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (int failed = Start(); failed != 0) return failed;
  timespec tick{0, 100'000'000};
  while (!stop_requested_) {
    int signal = sigtimedwait(&signals, nullptr, &tick);
    if (signal == SIGINT || signal == SIGTERM) {
      runtime_->logger.Log(LogLevel::kInfo, "valet", "stopping",
                           {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
      break;
    }
  }
  Shutdown();
  return 0;
}

}  // namespace valet
