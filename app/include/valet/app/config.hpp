#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "valet/core/pruner.hpp"
#include "valet/core/requests.hpp"
#include "valet/ports/json.hpp"
#include "valet/ports/status.hpp"

namespace valet::app {

enum class LogFormat { kText, kJson };

// What one valetd process does: everything, only the API (with the scheduler and recovery), or
// only the workers (with the scheduler and recovery), against a shared queue and repository.
enum class Role { kAll, kApi, kWorker };

// "all", "api" or "worker"; kInvalidArgument naming the choices for anything else.
Result<Role> ParseRole(const std::string& text);

// config.yaml, validated, with valet's defaults filled in. Adapter sections are kept as JSON and
// checked by the adapter that reads them.
struct Config {
  // server.protocol: the APIs to serve, each once: "http", "grpc" or both (a YAML list).
  std::vector<std::string> protocols{"http"};
  Json server = Json::object();  // the whole `server` section

  std::string queue_option = "memory";
  Json job_queue = Json::object();  // the whole `job_queue` section

  std::string repository_option = "memory";
  std::string repository_key = "repository";  // or valet's older name, `storage`
  Json repository = Json::object();

  int workers = 0;         // 0 = one per CPU
  int queue_capacity = 0;  // 0 = 2 × workers (prefetch of brokers that push)
  std::chrono::milliseconds timeout_unit{1000};
  std::chrono::milliseconds repository_polling_interval{60'000};
  std::chrono::milliseconds job_queue_polling_interval{1'000};
  std::chrono::milliseconds shutdown_grace_period{30'000};
  LogFormat logging_format = LogFormat::kText;

  Role role = Role::kAll;
  // Durations below are given as "30s", "5m", "1h30m", "250ms", or as a number of timeout_unit.
  int max_retries = 0;                                        // worker_pool.max_retries
  std::chrono::milliseconds retry_backoff{1'000};             // worker_pool.retry_backoff
  std::chrono::milliseconds retry_backoff_max{3'600'000};     // worker_pool.retry_backoff_max
  std::chrono::milliseconds lease{30'000};                    // worker_pool.lease
  std::chrono::milliseconds requeue_stranded_after{300'000};  // scheduler.requeue_stranded_after
  std::chrono::milliseconds idempotency_window{86'400'000};   // server.idempotency_window
  core::RetentionOptions retention;  // retention.max_age, max_count, prune_interval
  // server.allow_unauthenticated: serve a non-loopback address with no API token configured.
  bool allow_unauthenticated = false;
  // schedules: recurring jobs declared with the config (see ScheduleService::Declare).
  std::vector<core::ScheduleRequest> schedules;
};

// Reads and validates YAML text. Errors are kInvalidArgument with one line that names the key and
// what it accepts, e.g. `timeout_unit: "hour" is not valid - valid options: second, millisecond`.
Result<Config> ParseConfig(const std::string& yaml_text);
Result<Config> LoadConfigFile(const std::string& path);

// A fatal configuration problem, thrown by the valet::Valet constructor.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace valet::app
