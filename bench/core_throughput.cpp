// valet_bench_core: jobs/s through the core Engine over the memory adapters, in one process.
//
//   valet_bench_core [--jobs 200000] [--workers 4] [--submitters 1] [--repeat 3]
//                    [--only live|prefill|baseline]
//
// Two runs of `--jobs` no-op jobs, each on a fresh repository, queue and engine:
//   live     workers running while the submitters call engine.jobs().Create(): submitted/s is
//            jobs over the submit time, completed/s is jobs over first submit → last completion;
//   prefill  submit everything with the engine stopped (submit cost alone), then start it and
//            time the drain (execution cost alone).
// A completion is counted when the COMPLETED status is stored (CompletionCountingRepository), so
// no poll of the repository runs alongside. Then the same number of ids goes through a bare
// MemoryJobQueue (1 producer, `--workers` consumers) as the ceiling to read the figures against.
// Each is repeated `--repeat` times and the median printed: the machine is small and shared.

#include <atomic>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "queue_baseline.hpp"
#include "support/completion_counting_repository.hpp"
#include "support/engine_load.hpp"
#include "support/figures.hpp"
#include "support/flags.hpp"
#include "support/null_logger.hpp"
#include "valet/adapters/memory/memory_job_queue.hpp"
#include "valet/adapters/memory/memory_job_repository.hpp"
#include "valet/core/engine.hpp"
#include "valet/core/system_clock.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::bench {
namespace {

constexpr auto kCompletionTimeout = std::chrono::minutes{5};
constexpr double kTarget = 200'000;  // jobs/s completed, the goal for the memory backends

struct Options {
  std::int64_t jobs = 200'000;
  int workers = 4;
  int submitters = 1;
};

struct Timings {
  double submit_seconds = 0;
  double complete_seconds = 0;  // live: from the first submit; prefill: from engine start
};

Timings Run(const Options& options, bool prefill) {
  adapters::memory::MemoryJobRepository memory;
  CompletionCountingRepository repository(memory, options.jobs);
  adapters::memory::MemoryJobQueue queue(static_cast<std::size_t>(options.jobs) + 1024);
  core::TaskRegistry tasks;
  tasks.Register("noop", [](TaskContext&) { return TaskResult(); }).IgnoreError();
  core::SystemClock clock;
  core::UuidGenerator ids;
  NullLogger logger;
  core::EngineOptions engine_options;
  engine_options.workers = options.workers;
  core::Engine engine(engine_options, repository, queue, tasks, clock, ids, logger);

  if (!prefill) engine.Start();
  auto start = SteadyClock::now();
  std::int64_t refused = SubmitNoopJobs(engine, options.jobs, options.submitters);
  auto submitted = SteadyClock::now();
  if (refused > 0) throw std::runtime_error(std::to_string(refused) + " submits were refused");

  auto drain_start = SteadyClock::now();
  if (prefill) engine.Start();
  auto done = repository.WaitForAll(kCompletionTimeout);
  engine.Stop(std::chrono::seconds{1});
  if (!done) {
    throw std::runtime_error("only " + std::to_string(repository.completed()) + " of " +
                             std::to_string(options.jobs) + " jobs completed in time");
  }
  return Timings{SecondsBetween(start, submitted),
                 SecondsBetween(prefill ? drain_start : start, *done)};
}

int Main(int argc, char** argv) {
  Flags flags(argc, argv);
  Options options;
  options.jobs = flags.Int("jobs", options.jobs);
  options.workers = static_cast<int>(flags.Int("workers", options.workers));
  options.submitters = static_cast<int>(flags.Int("submitters", options.submitters));
  int repeat = static_cast<int>(flags.Int("repeat", 3));
  std::string only = flags.String("only", "all");
  if (!flags.Unknown().empty() || options.jobs == 0 || options.workers == 0 ||
      options.submitters == 0 || repeat == 0 ||
      (only != "all" && only != "live" && only != "prefill" && only != "baseline")) {
    throw std::invalid_argument(
        "usage: valet_bench_core [--jobs N] [--workers N] [--submitters N] [--repeat N]\n"
        "                        [--only live|prefill|baseline]");
  }

  std::printf(
      "core: %lld noop jobs, %d workers, %d submitter(s), memory adapters, %d runs, "
      "load %.2f\n",
      static_cast<long long>(options.jobs), options.workers, options.submitters, repeat,
      LoadAverage());
  auto jobs = static_cast<double>(options.jobs);
  std::vector<double> live_submit, live_complete, prefill_submit, prefill_drain, baseline;
  for (int run = 0; run < repeat; ++run) {
    if (only == "all" || only == "live") {
      Timings live = Run(options, /*prefill=*/false);
      live_submit.push_back(jobs / live.submit_seconds);
      live_complete.push_back(jobs / live.complete_seconds);
    }
    if (only == "all" || only == "prefill") {
      Timings prefill = Run(options, /*prefill=*/true);
      prefill_submit.push_back(jobs / prefill.submit_seconds);
      prefill_drain.push_back(jobs / prefill.complete_seconds);
    }
    if (only == "all" || only == "baseline") {
      baseline.push_back(MeasureQueueThroughput(options.jobs, options.workers));
    }
  }

  std::string tag = "core[" + std::to_string(options.submitters) + "s] ";
  if (!live_submit.empty()) {
    PrintRuns(tag + "live jobs submitted/s", live_submit);
    PrintRuns(tag + "live jobs completed/s", live_complete);
  }
  if (!prefill_submit.empty()) {
    PrintRuns(tag + "submit only (no workers)", prefill_submit);
    PrintRuns(tag + "drain only (queue prefilled)", prefill_drain);
  }
  if (!baseline.empty()) PrintRuns(tag + "baseline: bare queue push+receive+ack", baseline);
  if (!live_complete.empty()) {
    PrintFigure(tag + "live completed / 200k target", Percentile(live_complete, 50) / kTarget,
                "ratio", 3);
  }
  if (!live_complete.empty() && !baseline.empty()) {
    PrintFigure(tag + "live completed / baseline",
                Percentile(live_complete, 50) / Percentile(baseline, 50), "ratio", 3);
  }
  return 0;
}

}  // namespace
}  // namespace valet::bench

int main(int argc, char** argv) {
  try {
    return valet::bench::Main(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "valet_bench_core: %s\n", error.what());
    return 2;
  }
}
