#include "support/engine_load.hpp"

#include <atomic>
#include <cmath>
#include <thread>

#include "support/figures.hpp"

namespace valet::bench {

namespace {

std::int64_t Submit(core::Engine& engine, std::int64_t count) {
  core::JobRequest request;
  request.name = "b";
  request.task_name = "noop";
  std::int64_t refused = 0;
  for (std::int64_t i = 0; i < count; ++i) {
    if (!engine.jobs().Create(request).ok()) ++refused;
  }
  return refused;
}

}  // namespace

std::int64_t SubmitNoopJobs(core::Engine& engine, std::int64_t jobs, int submitters) {
  std::vector<std::thread> threads;
  std::atomic<std::int64_t> refused{0};
  for (int i = 0; i < submitters; ++i) {
    std::int64_t share = jobs / submitters;
    if (i == 0) share += jobs % submitters;
    threads.emplace_back([&, share] { refused += Submit(engine, share); });
  }
  for (auto& thread : threads) thread.join();
  return refused;
}

void PrintRuns(const std::string& label, std::vector<double> rates) {
  std::string runs;
  for (double rate : rates) runs += (runs.empty() ? "" : " ") + std::to_string(std::lround(rate));
  PrintFigure(label, Percentile(rates, 50), "jobs/s (median; runs: " + runs + ")");
}

}  // namespace valet::bench
