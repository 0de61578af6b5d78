// valet_bench_http: a load generator for a running valetd; it starts nothing itself.
//
//   valet_bench_http --url http://127.0.0.1:PORT [--connections 32] [--threads 2]
//                    [--duration-seconds 10] [--task noop]
//       POST {"name":"b","task_name":TASK} to /api/jobs on every keep-alive connection until
//       the time is up; prints POST/s, then waits until every job is terminal and prints
//       jobs completed/s over first POST → last job done.
//   valet_bench_http --url ... --baseline [--connections ...]
//       The same load as GET /api/status: the server's bare request rate, to read POST/s against.
//   valet_bench_http --url ... --latency [N=1000] [--task noop]
//       N jobs one at a time: POST, then GET the job without pause until COMPLETED; prints the
//       enqueue → completion percentiles seen by the client and from created_at/completed_at.

#include <Poco/Exception.h>

#include <cstdio>
#include <stdexcept>

#include "api_client.hpp"
#include "http_latency.hpp"
#include "http_throughput.hpp"
#include "job_census.hpp"
#include "support/flags.hpp"
#include "valet/ports/json.hpp"

namespace valet::bench {
namespace {

constexpr const char* kUsage =
    "usage: valet_bench_http --url http://HOST:PORT [--connections C] [--threads T]\n"
    "                        [--duration-seconds D] [--task NAME] [--baseline | --latency [N]]\n";
constexpr auto kDrainTimeout = std::chrono::seconds{300};

void PrintLoad(const std::string& label, const LoadResult& load) {
  std::printf("%s: %lld as expected, %lld other statuses, %lld connection errors in %.2f s\n",
              label.c_str(), static_cast<long long>(load.expected),
              static_cast<long long>(load.others()), static_cast<long long>(load.errors),
              load.seconds());
  for (const auto& [status, count] : load.other_statuses) {
    std::printf("  status %d: %lld\n", status, static_cast<long long>(count));
  }
}

void RunBaseline(LoadOptions options) {
  options.method = "GET";
  options.path = "/api/status";
  options.body.clear();
  options.expected_status = 200;
  LoadResult load = RunLoad(options);
  PrintLoad("GET /api/status", load);
  PrintFigure("http GET /api/status/s (baseline)",
              static_cast<double>(load.expected) / load.seconds(), "req/s");
}

void RunSubmitLoad(const LoadOptions& options) {
  std::int64_t completed_before = 0;
  std::int64_t failed_before = 0;
  {
    ApiClient census(options.server);
    completed_before = CountJobs(census, "completed");
    failed_before = CountJobs(census, "failed");
  }

  LoadResult load = RunLoad(options);
  PrintLoad("POST /api/jobs", load);
  // A new connection: one left idle through the load would have met the server's keep-alive
  // timeout.
  ApiClient census(options.server);
  auto idle = WaitUntilAllTerminal(census, kDrainTimeout);
  if (!idle) throw std::runtime_error("jobs still unfinished after the drain timeout");
  std::int64_t completed = CountJobs(census, "completed") - completed_before;
  std::int64_t failed = CountJobs(census, "failed") - failed_before;
  std::printf("after the load: %lld jobs completed, %lld failed; last done %.2f s after the load\n",
              static_cast<long long>(completed), static_cast<long long>(failed),
              SecondsBetween(load.end, *idle));

  auto accepted = static_cast<double>(load.expected);
  PrintFigure("http POST /api/jobs/s (202)", accepted / load.seconds(), "req/s");
  PrintFigure("http jobs completed/s (first POST → all done)",
              static_cast<double>(completed) / SecondsBetween(load.start, *idle), "jobs/s");
  if (completed != load.expected) {
    std::printf("warning: %lld jobs accepted but %lld completed\n",
                static_cast<long long>(load.expected), static_cast<long long>(completed));
  }
}

void RunLatency(const Poco::URI& server, std::int64_t jobs, const std::string& body) {
  LatencyResult result = MeasureLatency(server, jobs, body);
  std::printf("latency: %lld jobs one at a time, %.1f GETs per job\n", static_cast<long long>(jobs),
              static_cast<double>(result.polls) / static_cast<double>(jobs));
  PrintFigure("http latency client p50 (POST → COMPLETED seen)", Percentile(result.client_ms, 50),
              "ms", 3);
  PrintFigure("http latency client p99", Percentile(result.client_ms, 99), "ms", 3);
  PrintFigure("http latency client max", Percentile(result.client_ms, 100), "ms", 3);
  PrintFigure("http latency server p50 (created_at → completed_at)",
              Percentile(result.server_ms, 50), "ms", 3);
  PrintFigure("http latency server p99", Percentile(result.server_ms, 99), "ms", 3);
  PrintFigure("http latency server max", Percentile(result.server_ms, 100), "ms", 3);
}

int Main(int argc, char** argv) {
  Flags flags(argc, argv);
  LoadOptions options;
  options.server = Poco::URI(flags.String("url", ""));
  options.connections = static_cast<int>(flags.Int("connections", options.connections));
  options.threads = static_cast<int>(flags.Int("threads", options.threads));
  options.duration = std::chrono::seconds{flags.Int("duration-seconds", 10)};
  options.body = Json{{"name", "b"}, {"task_name", flags.String("task", "noop")}}.dump();
  bool baseline = flags.Has("baseline");
  bool latency = flags.Has("latency");
  std::int64_t latency_jobs = flags.Int("latency", 1000);
  if (!flags.Unknown().empty() || options.server.getHost().empty() || options.connections == 0 ||
      latency_jobs == 0 || (baseline && latency)) {
    throw std::invalid_argument(kUsage);
  }

  if (latency) {
    std::printf("http: %s, one connection, %s, load %.2f\n", options.server.toString().c_str(),
                options.body.c_str(), LoadAverage());
    RunLatency(options.server, latency_jobs, options.body);
    return 0;
  }
  std::printf("http: %s, %d connections on %d threads, %lld s, load %.2f\n",
              options.server.toString().c_str(), options.connections, options.threads,
              static_cast<long long>(options.duration.count()), LoadAverage());
  if (baseline) {
    RunBaseline(options);
  } else {
    RunSubmitLoad(options);
  }
  return 0;
}

}  // namespace
}  // namespace valet::bench

int main(int argc, char** argv) {
  try {
    return valet::bench::Main(argc, argv);
  } catch (const Poco::Exception& error) {
    std::fprintf(stderr, "valet_bench_http: %s\n", error.displayText().c_str());
    return 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "valet_bench_http: %s\n", error.what());
    return 2;
  }
}
