// valet_bench_recovery: how fast valetd recovers from kill -9 on durable backends.
//
//   valet_bench_recovery --valetd build-bench/app/valetd --repository postgres [--queue memory]
//                        [--jobs 5000] [--job-ms 5] [--workers 4] [--lease-ms 2000]
//
// Starts valetd (the `sleep` demo task) on a fresh schema, database, key prefix or broker queue
// named valet_test_<pid>_<n>, which scripts/servers.sh drops once this process is gone, and
// prints:
// - the baseline: `jobs` jobs submitted and drained by one uninterrupted valetd (jobs/s);
// - the same load with valetd killed (SIGKILL) once a quarter of the jobs completed and started
//   again at once: seconds from the restart to the last job done, next to the time the
//   baseline needs for the jobs that were left, and the jobs that ran a second time;
// - one long job killed mid-run: seconds from the kill until it runs again, next to the lease.
// Secrets (POSTGRES_DSN, ...) come from the environment, as for valetd.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/Exception.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "api_client.hpp"
#include "support/figures.hpp"
#include "support/flags.hpp"
#include "valet/ports/json.hpp"

extern char** environ;

namespace valet::bench {
namespace {

using namespace std::chrono_literals;

constexpr const char* kUsage =
    "usage: valet_bench_recovery --valetd PATH --repository NAME [--queue NAME] [--jobs N]\n"
    "                            [--job-ms MS] [--workers W] [--lease-ms MS]\n";

struct Options {
  std::string valetd;
  std::string repository;
  std::string queue = "memory";
  std::int64_t jobs = 5000;
  std::int64_t job_ms = 5;
  std::int64_t workers = 4;
  std::int64_t lease_ms = 2000;
};

// One valetd process on a config file of its own; killed with SIGKILL when it goes.
class Valetd {
 public:
  Valetd(const Options& options, const std::string& name, int port) : port_(port) {
    config_path_ = "/tmp/valet_bench_recovery_" + std::to_string(::getpid()) + ".yaml";
    std::ofstream(config_path_) << Yaml(options, name, port);
    std::vector<std::string> args{options.valetd, "--config", config_path_};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    int error = posix_spawn(&pid_, options.valetd.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) throw std::runtime_error("cannot start " + options.valetd);
    for (int i = 0; i < 200; ++i) {
      if (Status().status == 200) return;
      std::this_thread::sleep_for(50ms);
    }
    throw std::runtime_error("valetd did not answer on port " + std::to_string(port));
  }
  ~Valetd() { Kill(); }

  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  Reply Call(const std::string& method, const std::string& path, const std::string& body = "") {
    try {
      ApiClient client(Poco::URI("http://127.0.0.1:" + std::to_string(port_)));
      return client.Call(method, path, body);
    } catch (const Poco::Exception&) {
      return Reply{};
    }
  }
  Reply Status() { return Call("GET", "/api/status"); }

 private:
  static std::string Yaml(const Options& options, const std::string& name, int port) {
    std::string yaml =
        "server: {protocol: http, http: {host: 127.0.0.1, port: " + std::to_string(port) + "}}\n";
    yaml += "job_queue:\n  option: " + options.queue + "\n";
    yaml += "  memory_job_queue: {capacity: 1000000}\n";
    if (options.queue == "redis") yaml += "  redis: {key_prefix: " + name + "}\n";
    if (options.queue == "rabbitmq") yaml += "  rabbitmq: {queue_params: {name: " + name + "}}\n";
    yaml += "repository:\n  option: " + options.repository + "\n";
    if (options.repository == "postgres") yaml += "  postgres: {schema: " + name + "}\n";
    if (options.repository == "mysql") yaml += "  mysql: {database: " + name + "}\n";
    if (options.repository == "redis") yaml += "  redis: {key_prefix: " + name + "}\n";
    yaml += "worker_pool: {workers: " + std::to_string(options.workers) +
            ", lease: " + std::to_string(options.lease_ms) + "ms}\n";
    yaml += "scheduler: {repository_polling_interval: 1}\n";
    return yaml;
  }

  int port_;
  pid_t pid_ = -1;
  std::string config_path_;
};

std::string FreshName() {
  static int next = 0;
  return "valet_test_" + std::to_string(::getpid()) + "_" + std::to_string(++next);
}

void Submit(Valetd& valetd, std::int64_t count, std::int64_t job_ms) {
  std::atomic<std::int64_t> next{0};
  std::vector<std::thread> clients;
  std::string body =
      Json{{"name", "bench"}, {"task_name", "sleep"}, {"task_params", {{"ms", job_ms}}}}.dump();
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&] {
      while (next++ < count) {
        if (valetd.Call("POST", "/api/jobs", body).status != 202) {
          throw std::runtime_error("a submit was refused");
        }
      }
    });
  }
  for (auto& client : clients) client.join();
}

// The jobs listed in `status`, or -1 when valetd does not answer.
std::int64_t Count(Valetd& valetd, const std::string& status) {
  Reply reply = valetd.Call("GET", "/api/jobs?status=" + status);
  if (reply.status != 200) return -1;
  return static_cast<std::int64_t>(Json::parse(reply.body)["jobs"].size());
}

void WaitFor(Valetd& valetd, const std::string& status, std::int64_t at_least) {
  auto deadline = SteadyClock::now() + 10min;
  while (Count(valetd, status) < at_least) {
    if (SteadyClock::now() > deadline) throw std::runtime_error("jobs did not finish in time");
    std::this_thread::sleep_for(20ms);
  }
}

int Port() { return 18200 + static_cast<int>(::getpid() % 500); }

void Run(const Options& options) {
  std::printf(
      "recovery: repository %s, queue %s; %lld jobs of %lld ms, %lld workers, lease %lld "
      "ms, load %.2f\n",
      options.repository.c_str(), options.queue.c_str(), static_cast<long long>(options.jobs),
      static_cast<long long>(options.job_ms), static_cast<long long>(options.workers),
      static_cast<long long>(options.lease_ms), LoadAverage());
  double baseline_rate = 0;
  {
    Valetd valetd(options, FreshName(), Port());
    auto start = SteadyClock::now();
    Submit(valetd, options.jobs, options.job_ms);
    WaitFor(valetd, "completed", options.jobs);
    baseline_rate = options.jobs / SecondsBetween(start, SteadyClock::now());
    PrintFigure("uninterrupted: jobs completed/s", baseline_rate, "jobs/s");
  }

  std::string name = FreshName();
  auto valetd = std::make_unique<Valetd>(options, name, Port());
  Submit(*valetd, options.jobs, options.job_ms);
  WaitFor(*valetd, "completed", options.jobs / 4);
  std::int64_t running = Count(*valetd, "in_progress");
  valetd->Kill();
  auto restarted = SteadyClock::now();
  valetd = std::make_unique<Valetd>(options, name, Port());
  std::int64_t left = options.jobs - Count(*valetd, "completed");
  WaitFor(*valetd, "completed", options.jobs);
  double recovery = SecondsBetween(restarted, SteadyClock::now());
  Json jobs = Json::parse(valetd->Call("GET", "/api/jobs?status=completed").body)["jobs"];
  std::int64_t reruns = 0;
  for (const Json& job : jobs) reruns += job.value("attempt", 0) > 1 ? 1 : 0;
  PrintFigure("after kill -9: restart -> last job done", recovery, "s", 2);
  PrintFigure("  the same jobs left, uninterrupted", left / baseline_rate, "s", 2);
  PrintFigure("  jobs running at the kill (listed just before)", static_cast<double>(running),
              "jobs");
  PrintFigure("  jobs run a second time", static_cast<double>(reruns), "jobs");
  valetd.reset();

  name = FreshName();
  valetd = std::make_unique<Valetd>(options, name, Port());
  std::string body =
      Json{{"name", "long"}, {"task_name", "sleep"}, {"task_params", {{"ms", 600000}}}}.dump();
  std::string id = Json::parse(valetd->Call("POST", "/api/jobs", body).body).value("id", "");
  WaitFor(*valetd, "in_progress", 1);
  valetd->Kill();
  auto killed = SteadyClock::now();
  valetd = std::make_unique<Valetd>(options, name, Port());
  auto deadline = killed + 5min;
  while (Json::parse(valetd->Call("GET", "/api/jobs/" + id).body).value("attempt", 0) < 2) {
    if (SteadyClock::now() > deadline) throw std::runtime_error("the job never ran again");
    std::this_thread::sleep_for(10ms);
  }
  PrintFigure("a running job: kill -9 -> running again", SecondsBetween(killed, SteadyClock::now()),
              "s", 2);
  PrintFigure("  the lease", options.lease_ms / 1000.0, "s", 2);
  valetd->Call("POST", "/api/jobs/" + id + "/cancel");
}

}  // namespace
}  // namespace valet::bench

int main(int argc, char** argv) {
  using valet::bench::Flags;
  try {
    Flags flags(argc, argv);
    valet::bench::Options options;
    options.valetd = flags.String("valetd", "");
    options.repository = flags.String("repository", "");
    options.queue = flags.String("queue", options.queue);
    options.jobs = flags.Int("jobs", options.jobs);
    options.job_ms = flags.Int("job-ms", options.job_ms);
    options.workers = flags.Int("workers", options.workers);
    options.lease_ms = flags.Int("lease-ms", options.lease_ms);
    if (options.valetd.empty() || options.repository.empty() || !flags.Unknown().empty()) {
      std::fputs(valet::bench::kUsage, stderr);
      return 2;
    }
    valet::bench::Run(options);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "valet_bench_recovery: %s\n%s", error.what(), valet::bench::kUsage);
    return 1;
  }
}
