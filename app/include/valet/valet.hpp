#pragma once

// The public API of valet: register tasks, then Run().
//
//   struct Download { std::string url; };
//   NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Download, url)
//
//   valet::TaskResult DownloadTask(valet::TaskContext& ctx) {
//     auto params = ctx.Params<Download>();
//     if (ctx.StopRequested()) return valet::Cancelled();
//     return valet::Json{{"bytes", 42}};
//   }
//   int main() {
//     valet::Valet v{"config.yaml"};
//     v.RegisterTask("download", DownloadTask);
//     return v.Run();
//   }

#include <atomic>
#include <memory>
#include <string>

#include "valet/app/config.hpp"
#include "valet/core/task.hpp"

namespace valet {

class Valet {
 public:
  // Reads and validates the config file; throws app::ConfigError with a one-line reason.
  explicit Valet(const std::string& config_path = "config.yaml");
  explicit Valet(app::Config config);
  ~Valet();
  Valet(const Valet&) = delete;
  Valet& operator=(const Valet&) = delete;

  // Adds a task by name; call before Run(). Throws std::invalid_argument for an empty or
  // duplicate name.
  void RegisterTask(const std::string& name, TaskFunction task);

  // Builds the configured adapters, serves the API and runs jobs until SIGINT, SIGTERM or Stop().
  // Then it stops taking requests, lets running jobs finish within shutdown_grace_period and
  // returns 0. Returns 2 after logging one line if the config names something that cannot be
  // built, and 1 if a backend or the server cannot start. SIGINT and SIGTERM are blocked in the
  // calling thread and every thread it starts.
  int Run();

  // Makes Run() return; safe from any thread, also before Run() started.
  void Stop();

  // Overrides the config's `role` (valetd --role): "all", "api" or "worker". Call before Run();
  // throws app::ConfigError for anything else.
  void SetRole(const std::string& role);

  // "0.1.0"
  static std::string Version();
  // The adapters linked into this binary, e.g. "repository: memory; job_queue: memory; server:
  // http".
  static std::string LinkedAdapters();

 private:
  struct Tasks;
  app::Config config_;
  std::unique_ptr<Tasks> tasks_;
  std::atomic<bool> stop_requested_{false};
};

}  // namespace valet
