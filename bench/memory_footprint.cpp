// valet_bench_memory: what queued jobs cost in memory with the memory adapters.
//
//   valet_bench_memory [--jobs 1000000]
//
// Creates `--jobs` small PENDING jobs through engine.jobs().Create() with no workers started, so
// every job sits both in the repository and in the queue, and compares VmRSS before and after.

#include <cstdio>
#include <stdexcept>

#include "support/figures.hpp"
#include "support/flags.hpp"
#include "support/null_logger.hpp"
#include "support/process_memory.hpp"
#include "valet/adapters/memory/memory_job_queue.hpp"
#include "valet/adapters/memory/memory_job_repository.hpp"
#include "valet/core/engine.hpp"
#include "valet/core/system_clock.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::bench {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kTargetBytes = 1024.0 * kMiB;  // DESIGN.md §8: per 1M queued jobs

int Main(int argc, char** argv) {
  Flags flags(argc, argv);
  std::int64_t jobs = flags.Int("jobs", 1'000'000);
  if (!flags.Unknown().empty() || jobs == 0) {
    throw std::invalid_argument("usage: valet_bench_memory [--jobs N]");
  }

  adapters::memory::MemoryJobRepository repository;
  adapters::memory::MemoryJobQueue queue(static_cast<std::size_t>(jobs));
  core::TaskRegistry tasks;
  tasks.Register("noop", [](TaskContext&) { return TaskResult(); }).IgnoreError();
  core::SystemClock clock;
  core::UuidGenerator ids;
  NullLogger logger;
  core::Engine engine(core::EngineOptions{}, repository, queue, tasks, clock, ids, logger);

  core::JobRequest request;
  request.name = "b";
  request.task_name = "noop";
  std::size_t rss_before = ResidentBytes();
  std::size_t heap_before = HeapBytesInUse();
  auto start = SteadyClock::now();
  for (std::int64_t i = 0; i < jobs; ++i) {
    if (!engine.jobs().Create(request).ok()) {
      throw std::runtime_error("submit " + std::to_string(i) + " was refused");
    }
  }
  double seconds = SecondsBetween(start, SteadyClock::now());
  std::size_t rss_after = ResidentBytes();
  std::size_t heap_after = HeapBytesInUse();

  std::printf("memory: %lld pending jobs (name \"b\", task noop), no workers, queue size %zu\n",
              static_cast<long long>(jobs), queue.size());
  auto delta = static_cast<double>(rss_after - rss_before);
  auto per_million = delta / static_cast<double>(jobs) * 1e6;
  PrintFigure("memory RSS before", static_cast<double>(rss_before) / kMiB, "MiB", 1);
  PrintFigure("memory RSS after", static_cast<double>(rss_after) / kMiB, "MiB", 1);
  PrintFigure("memory RSS delta", delta / kMiB, "MiB", 1);
  PrintFigure("memory RSS bytes per job", delta / static_cast<double>(jobs), "bytes");
  PrintFigure("memory heap in use per job (mallinfo2)",
              static_cast<double>(heap_after - heap_before) / static_cast<double>(jobs), "bytes");
  PrintFigure("memory RSS per 1M jobs / 1 GiB target", per_million / kTargetBytes, "ratio", 3);
  PrintFigure("memory submit rate while filling", static_cast<double>(jobs) / seconds, "jobs/s");
  return 0;
}

}  // namespace
}  // namespace valet::bench

int main(int argc, char** argv) {
  try {
    return valet::bench::Main(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "valet_bench_memory: %s\n", error.what());
    return 2;
  }
}
