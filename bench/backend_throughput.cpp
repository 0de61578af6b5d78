// valet_bench_backends: jobs/s through the core Engine over any repository and job queue this
// build includes, chosen by name as in config.yaml.
//
//   valet_bench_backends --repository postgres [--queue memory] [--jobs 20000] [--workers 4]
//                        [--submitters 4] [--batch 1] [--queue-capacity N] [--repeat 3]
//                        [--latency 1000]
//
// Each run gets a fresh, empty place to work (a schema on PostgreSQL, a database on MySQL, a key
// prefix on Redis, a queue name on RabbitMQ) named valet_test_<pid>_<n>, which
// scripts/servers.sh drops once this process is gone. `--submitters` threads call
// engine.jobs().Create() (or CreateMany() with `--batch` jobs each, as POST /api/jobs/batch
// does) while `--workers` workers run no-op jobs; submitted/s is jobs over the
// submit time, completed/s is jobs over first submit → last stored completion. Secrets
// (POSTGRES_DSN, ...) come from the environment, as for valetd. The median of the runs is
// printed, with every run beside it. Then `--latency` jobs go one at a time through a fresh
// engine, each submitted only when the last has completed: submit → stored completion, p50/p99.

#include <unistd.h>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/completion_counting_repository.hpp"
#include "support/engine_load.hpp"
#include "support/figures.hpp"
#include "support/flags.hpp"
#include "support/null_logger.hpp"
#include "valet/app/built_adapters.hpp"
#include "valet/app/secrets.hpp"
#include "valet/core/engine.hpp"
#include "valet/core/system_clock.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::bench {
namespace {

constexpr auto kCompletionTimeout = std::chrono::minutes{10};

struct Options {
  std::string repository;
  std::string queue = "memory";
  std::int64_t jobs = 20'000;
  int workers = 4;
  int submitters = 4;
  std::int64_t batch = 1;
  int queue_capacity = 0;  // worker_pool.queue_capacity: 0 for the default, 2 × workers
};

struct Timings {
  double submit_seconds = 0;
  double complete_seconds = 0;
};

// A section of config.yaml for the adapter that gives it a place of its own for one run.
Json FreshSection(const std::string& adapter) {
  static std::atomic<int> next{0};
  std::string name = "valet_test_" + std::to_string(::getpid()) + "_" + std::to_string(++next);
  if (adapter == "postgres") return {{"schema", name}};
  if (adapter == "mysql") return {{"database", name}};
  if (adapter == "redis") return {{"key_prefix", name}};
  if (adapter == "rabbitmq") return {{"queue_params", {{"name", name}}}};
  if (adapter == "memory") return {{"capacity", 10'000'000}};
  return Json::object();
}

template <typename Entry>
auto Build(const Entry* entry, const std::string& port, const std::string& name, Clock& clock,
           Logger& logger, int queue_capacity) {
  if (!entry) throw std::invalid_argument(port + " " + name + " is not built into this binary");
  Json section = FreshSection(name);
  core::AdapterSettings settings{section,
                                 port + "." + entry->section,
                                 clock,
                                 logger,
                                 [](const std::string& secret) { return app::ReadSecret(secret); },
                                 queue_capacity};
  auto adapter = entry->factory(settings);
  if (!adapter.ok())
    throw std::runtime_error(port + " " + name + ": " + adapter.status().message());
  return std::move(*adapter);
}

// As valetd has it: worker_pool.queue_capacity, or twice the workers.
int QueueCapacity(const Options& options) {
  return options.queue_capacity > 0 ? options.queue_capacity : 2 * options.workers;
}

// The adapters named in the options, wrapped to count completions, under a started engine.
class Rig {
 public:
  Rig(const Options& options, const core::AdapterRegistry& registry, std::int64_t expected)
      : backend_(Build(registry.FindRepository(options.repository), "repository",
                       options.repository, clock_, logger_, QueueCapacity(options))),
        queue_(Build(registry.FindQueue(options.queue), "job_queue", options.queue, clock_, logger_,
                     QueueCapacity(options))),
        repository_(*backend_, expected) {
    if (Status health = backend_->CheckHealth(); !health.ok()) {
      throw std::runtime_error("repository: " + health.message());
    }
    tasks_.Register("noop", [](TaskContext&) { return TaskResult(); }).IgnoreError();
    core::EngineOptions engine_options;
    engine_options.workers = options.workers;
    engine_.emplace(engine_options, repository_, *queue_, tasks_, clock_, ids_, logger_);
    engine_->Start();
  }
  ~Rig() { engine_->Stop(std::chrono::seconds{1}); }

  core::Engine& engine() { return *engine_; }
  CompletionCountingRepository& repository() { return repository_; }

 private:
  core::SystemClock clock_;
  core::UuidGenerator ids_;
  NullLogger logger_;
  std::unique_ptr<JobRepository> backend_;
  std::unique_ptr<JobQueue> queue_;
  CompletionCountingRepository repository_;
  core::TaskRegistry tasks_;
  std::optional<core::Engine> engine_;
};

Timings Run(const Options& options, const core::AdapterRegistry& registry) {
  Rig rig(options, registry, options.jobs);
  auto start = SteadyClock::now();
  std::int64_t refused =
      SubmitNoopJobs(rig.engine(), options.jobs, options.submitters, options.batch);
  auto submitted = SteadyClock::now();
  if (refused > 0) throw std::runtime_error(std::to_string(refused) + " submits were refused");
  auto done = rig.repository().WaitForAll(kCompletionTimeout);
  if (!done) {
    throw std::runtime_error("only " + std::to_string(rig.repository().completed()) + " of " +
                             std::to_string(options.jobs) + " jobs completed in time");
  }
  return Timings{SecondsBetween(start, submitted), SecondsBetween(start, *done)};
}

// Submit → stored completion of `probes` jobs, one at a time, in microseconds.
std::vector<double> MeasureLatency(const Options& options, const core::AdapterRegistry& registry,
                                   std::int64_t probes) {
  Rig rig(options, registry, 0);
  core::JobRequest request;
  request.name = "probe";
  request.task_name = "noop";
  std::vector<double> micros;
  for (std::int64_t i = 0; i < probes; ++i) {
    rig.repository().ExpectMore(1);
    auto start = SteadyClock::now();
    if (!rig.engine().jobs().Create(request).ok()) throw std::runtime_error("a probe was refused");
    auto done = rig.repository().WaitForAll(std::chrono::seconds{10});
    if (!done) throw std::runtime_error("a probe did not complete within 10 s");
    micros.push_back(SecondsBetween(start, *done) * 1e6);
  }
  return micros;
}

int Main(int argc, char** argv) {
  Flags flags(argc, argv);
  Options options;
  options.repository = flags.String("repository", "");
  options.queue = flags.String("queue", options.queue);
  options.jobs = flags.Int("jobs", options.jobs);
  options.workers = static_cast<int>(flags.Int("workers", options.workers));
  options.submitters = static_cast<int>(flags.Int("submitters", options.submitters));
  options.batch = flags.Int("batch", options.batch);
  options.queue_capacity = static_cast<int>(flags.Int("queue-capacity", 0));
  int repeat = static_cast<int>(flags.Int("repeat", 3));
  std::int64_t probes = flags.Int("latency", 1000);
  if (!flags.Unknown().empty() || options.repository.empty() || options.jobs <= 0 ||
      options.workers <= 0 || options.submitters <= 0 || options.batch <= 0 ||
      options.queue_capacity < 0 ||
      options.batch > static_cast<std::int64_t>(core::JobService::kMaxBatchJobs) || repeat <= 0 ||
      probes < 0) {
    throw std::invalid_argument(
        "usage: valet_bench_backends --repository NAME [--queue NAME] [--jobs N] [--workers N]\n"
        "                            [--submitters N] [--batch N] [--queue-capacity N]\n"
        "                            [--repeat N] [--latency N]");
  }
  core::AdapterRegistry registry;
  app::RegisterBuiltAdapters(registry);

  std::printf(
      "backends: repository %s, queue %s; %lld noop jobs, %d workers, %d submitters, "
      "batches of %lld, %d runs, load %.2f\n",
      options.repository.c_str(), options.queue.c_str(), static_cast<long long>(options.jobs),
      options.workers, options.submitters, static_cast<long long>(options.batch), repeat,
      LoadAverage());
  auto jobs = static_cast<double>(options.jobs);
  std::vector<double> submitted, completed;
  for (int run = 0; run < repeat; ++run) {
    Timings timings = Run(options, registry);
    submitted.push_back(jobs / timings.submit_seconds);
    completed.push_back(jobs / timings.complete_seconds);
  }
  std::string tag = options.repository + "+" + options.queue;
  if (options.submitters != Options{}.submitters) {
    tag += "[" + std::to_string(options.submitters) + "s]";
  }
  if (options.batch != Options{}.batch) tag += "[batch " + std::to_string(options.batch) + "]";
  if (options.queue_capacity > 0) {
    tag += "[capacity " + std::to_string(options.queue_capacity) + "]";
  }
  tag += " ";
  PrintRuns(tag + "jobs submitted/s", submitted);
  PrintRuns(tag + "jobs completed/s", completed);
  if (probes > 0) {
    std::vector<double> latency = MeasureLatency(options, registry, probes);
    PrintFigure(tag + "submit->completed p50", Percentile(latency, 50) / 1000, "ms", 3);
    PrintFigure(tag + "submit->completed p99", Percentile(latency, 99) / 1000, "ms", 3);
  }
  return 0;
}

}  // namespace
}  // namespace valet::bench

int main(int argc, char** argv) {
  try {
    return valet::bench::Main(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "valet_bench_backends: %s\n", error.what());
    return 2;
  }
}
