// valet_bench_metrics: what recording one API request in the metrics costs.
//
//   valet_bench_metrics [--calls 2000000] [--threads 2] [--repeat 3]
//
// RequestMetrics::Record(), as the HTTP and gRPC servers call it once per request, over the route
// and status mix of a busy server (every thread records all of it, so they contend for the same
// counters), with 1 thread and with `--threads`. The baseline is the least any shared counter
// costs: one lock and one increment of a single counter, on the same threads. Each is repeated
// `--repeat` times and the median printed.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/figures.hpp"
#include "support/flags.hpp"
#include "valet/core/request_metrics.hpp"

namespace valet::bench {
namespace {

struct Request {
  std::string protocol;
  std::string route;
  std::string status;
};

// The label sets a server answering the usual calls records; longer names than the small-string
// buffer included, as real routes are.
const std::vector<Request>& RequestMix() {
  static const std::vector<Request> mix{
      {"http", "/api/jobs", "201"},           {"http", "/api/jobs/{id}", "200"},
      {"http", "/api/jobs/{id}", "404"},      {"http", "/api/status", "200"},
      {"http", "/api/pipelines/{id}", "200"}, {"http", "/api/jobs/{id}/results", "200"},
      {"grpc", "/job.Job/Create", "OK"},      {"grpc", "/job.Job/Get", "NOT_FOUND"}};
  return mix;
}

// Nanoseconds per call of `call(i)`, `calls` calls on each of `threads` threads at once.
template <typename Call>
double NanosPerCall(std::int64_t calls, int threads, const Call& call) {
  std::vector<std::thread> running;
  auto start = SteadyClock::now();
  for (int t = 0; t < threads; ++t) {
    running.emplace_back([&] {
      for (std::int64_t i = 0; i < calls; ++i) call(i);
    });
  }
  for (auto& thread : running) thread.join();
  return SecondsBetween(start, SteadyClock::now()) * 1e9 / static_cast<double>(calls * threads);
}

double RecordNanos(std::int64_t calls, int threads) {
  core::RequestMetrics metrics;
  const auto& mix = RequestMix();
  return NanosPerCall(calls, threads, [&](std::int64_t i) {
    const Request& request = mix[static_cast<std::size_t>(i) % mix.size()];
    metrics.Record(request.protocol, request.route, request.status,
                   std::chrono::microseconds{50 + i % 2000});
  });
}

double LockedCounterNanos(std::int64_t calls, int threads) {
  std::mutex mutex;
  std::uint64_t counter = 0;
  double nanos = NanosPerCall(calls, threads, [&](std::int64_t) {
    std::lock_guard lock(mutex);
    ++counter;
  });
  if (counter != static_cast<std::uint64_t>(calls * threads)) throw std::logic_error("lost counts");
  return nanos;
}

template <typename Measure>
double Median(int repeat, const Measure& measure) {
  std::vector<double> runs;
  for (int i = 0; i < repeat; ++i) runs.push_back(measure());
  std::sort(runs.begin(), runs.end());
  return runs[runs.size() / 2];
}

}  // namespace
}  // namespace valet::bench

int main(int argc, char** argv) {
  using namespace valet::bench;
  try {
    Flags flags(argc, argv);
    std::int64_t calls = flags.Int("calls", 2'000'000);
    int threads = static_cast<int>(flags.Int("threads", 2));
    int repeat = static_cast<int>(flags.Int("repeat", 3));
    if (!flags.Unknown().empty() || calls < 1 || threads < 1 || repeat < 1) {
      throw std::invalid_argument("bad flags");
    }
    for (int n : {1, threads}) {
      std::string on = " (" + std::to_string(n) + (n == 1 ? " thread)" : " threads)");
      double record = Median(repeat, [&] { return RecordNanos(calls, n); });
      double baseline = Median(repeat, [&] { return LockedCounterNanos(calls, n); });
      PrintFigure("metrics Record()" + on, record, "ns/call", 1);
      PrintFigure("locked counter, baseline" + on, baseline, "ns/call", 1);
      PrintFigure("metrics Record() / locked counter" + on, record / baseline, "ratio", 2);
      if (n == threads) break;
    }
    std::printf("load average %.2f\n", LoadAverage());
  } catch (const std::exception& error) {
    std::fprintf(stderr,
                 "%s\nusage: valet_bench_metrics [--calls 2000000] [--threads 2] [--repeat 3]\n",
                 error.what());
    return 2;
  }
  return 0;
}
