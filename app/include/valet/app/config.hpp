#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

#include "valet/ports/json.hpp"
#include "valet/ports/status.hpp"

namespace valet::app {

enum class LogFormat { kText, kJson };

// config.yaml, validated, with valet's defaults filled in. Adapter sections are kept as JSON and
// checked by the adapter that reads them.
struct Config {
  std::string protocol = "http";
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
