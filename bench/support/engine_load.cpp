#include "support/engine_load.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "support/figures.hpp"

namespace valet::bench {

namespace {

std::int64_t Submit(core::Engine& engine, std::int64_t count, std::int64_t batch) {
  core::JobRequest request;
  request.name = "b";
  request.task_name = "noop";
  std::int64_t refused = 0;
  if (batch <= 1) {
    for (std::int64_t i = 0; i < count; ++i) {
      if (!engine.jobs().Create(request).ok()) ++refused;
    }
    return refused;
  }
  for (std::int64_t done = 0; done < count; done += batch) {
    std::vector<core::JobRequest> requests(static_cast<std::size_t>(std::min(batch, count - done)),
                                           request);
    if (!engine.jobs().CreateMany(requests).ok()) {
      refused += static_cast<std::int64_t>(requests.size());
    }
  }
  return refused;
}

}  // namespace

std::int64_t SubmitNoopJobs(core::Engine& engine, std::int64_t jobs, int submitters,
                            std::int64_t batch) {
  std::vector<std::thread> threads;
  std::atomic<std::int64_t> refused{0};
  for (int i = 0; i < submitters; ++i) {
    std::int64_t share = jobs / submitters;
    if (i == 0) share += jobs % submitters;
    threads.emplace_back([&, share] { refused += Submit(engine, share, batch); });
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
