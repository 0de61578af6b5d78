#include "valet/app/config.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>
#include <thread>

#include "yaml_to_json.hpp"

namespace valet::app {

namespace {

Status Invalid(const std::string& key, const std::string& message) {
  return Status::InvalidArgument(key + ": " + message);
}

std::string Join(std::initializer_list<const char*> options) {
  std::string joined;
  for (const char* option : options) joined += (joined.empty() ? "" : ", ") + std::string(option);
  return joined;
}

// Text from the file, fit for a one-line message: escaped like a JSON string, without quotes.
std::string Printable(const std::string& key) {
  std::string text = JsonText(Json(key));
  return text.substr(1, text.size() - 2);
}

Status CheckKeys(const Json& section, const std::string& path,
                 std::initializer_list<const char*> known) {
  if (section.is_null()) return Status::Ok();
  if (!section.is_object()) return Invalid(path, "must be a mapping");
  for (const auto& [key, value] : section.items()) {
    bool found = false;
    for (const char* candidate : known) found |= key == candidate;
    if (!found) {
      return Invalid(path.empty() ? Printable(key) : path + "." + Printable(key),
                     "unknown key - valid keys: " + Join(known));
    }
  }
  return Status::Ok();
}

const Json& Child(const Json& section, const char* key) {
  static const Json kNull;
  if (!section.is_object()) return kNull;
  auto it = section.find(key);
  return it == section.end() ? kNull : *it;
}

Status ReadChoice(const Json& section, const char* key, const std::string& path,
                  std::initializer_list<const char*> options, std::string& out) {
  const Json& value = Child(section, key);
  if (value.is_null()) return Status::Ok();
  std::string text = value.is_string() ? value.get<std::string>() : JsonText(value);
  for (const char* option : options) {
    if (text == option) {
      out = text;
      return Status::Ok();
    }
  }
  return Invalid(path, JsonText(value) + " is not valid - valid options: " + Join(options));
}

Status ReadCount(const Json& section, const char* key, const std::string& path, int& out) {
  const Json& value = Child(section, key);
  if (value.is_null()) return Status::Ok();
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
      value.get<std::int64_t>() > 1'000'000) {
    return Invalid(path, "must be a whole number from 0 to 1000000, got " + JsonText(value));
  }
  out = value.get<int>();
  return Status::Ok();
}

Result<Config> Validate(const Json& root) {
  Config config;
  if (!root.is_null() && !root.is_object()) return Invalid("config", "must be a mapping");
  if (Status keys =
          CheckKeys(root, "",
                    {"server", "job_queue", "worker_pool", "scheduler", "repository", "storage",
                     "timeout_unit", "logging_format", "shutdown_grace_period"});
      !keys.ok()) {
    return keys;
  }

  const Json& server = Child(root, "server");
  if (Status s = CheckKeys(server, "server", {"protocol", "http", "grpc"}); !s.ok()) return s;
  if (Status s =
          ReadChoice(server, "protocol", "server.protocol", {"http", "grpc"}, config.protocol);
      !s.ok()) {
    return s;
  }
  if (server.is_object()) config.server = server;

  const Json& queue = Child(root, "job_queue");
  if (Status s = CheckKeys(queue, "job_queue", {"option", "memory_job_queue", "rabbitmq", "redis"});
      !s.ok()) {
    return s;
  }
  if (Status s = ReadChoice(queue, "option", "job_queue.option", {"memory", "rabbitmq", "redis"},
                            config.queue_option);
      !s.ok()) {
    return s;
  }
  if (queue.is_object()) config.job_queue = queue;

  bool has_repository = root.is_object() && root.contains("repository");
  bool has_storage = root.is_object() && root.contains("storage");
  if (has_repository && has_storage) {
    return Invalid("storage", "give either repository or its older name storage, not both");
  }
  if (has_storage) config.repository_key = "storage";
  const Json& repository = Child(root, config.repository_key.c_str());
  if (Status s = CheckKeys(repository, config.repository_key,
                           {"option", "memory", "mysql", "postgres", "redis"});
      !s.ok()) {
    return s;
  }
  if (Status s = ReadChoice(repository, "option", config.repository_key + ".option",
                            {"memory", "mysql", "postgres", "redis"}, config.repository_option);
      !s.ok()) {
    return s;
  }
  if (repository.is_object()) config.repository = repository;

  const Json& pool = Child(root, "worker_pool");
  if (Status s = CheckKeys(pool, "worker_pool", {"workers", "queue_capacity"}); !s.ok()) return s;
  if (Status s = ReadCount(pool, "workers", "worker_pool.workers", config.workers); !s.ok()) {
    return s;
  }
  if (Status s =
          ReadCount(pool, "queue_capacity", "worker_pool.queue_capacity", config.queue_capacity);
      !s.ok()) {
    return s;
  }
  if (config.workers == 0)
    config.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (config.queue_capacity == 0) config.queue_capacity = config.workers * 2;

  std::string unit = "second";
  if (Status s = ReadChoice(root, "timeout_unit", "timeout_unit", {"second", "millisecond"}, unit);
      !s.ok()) {
    return s;
  }
  config.timeout_unit = std::chrono::milliseconds(unit == "second" ? 1000 : 1);

  const Json& scheduler = Child(root, "scheduler");
  if (Status s = CheckKeys(scheduler, "scheduler",
                           {"repository_polling_interval", "storage_polling_interval",
                            "job_queue_polling_interval"});
      !s.ok()) {
    return s;
  }
  int repository_polling = 0;
  int queue_polling = 0;
  const char* polling_key = Child(scheduler, "repository_polling_interval").is_null()
                                ? "storage_polling_interval"
                                : "repository_polling_interval";
  if (Status s = ReadCount(scheduler, polling_key, std::string("scheduler.") + polling_key,
                           repository_polling);
      !s.ok()) {
    return s;
  }
  if (Status s = ReadCount(scheduler, "job_queue_polling_interval",
                           "scheduler.job_queue_polling_interval", queue_polling);
      !s.ok()) {
    return s;
  }
  config.repository_polling_interval = repository_polling == 0
                                           ? std::chrono::milliseconds{60'000}
                                           : repository_polling * config.timeout_unit;
  config.job_queue_polling_interval =
      queue_polling == 0 ? std::chrono::milliseconds{1'000} : queue_polling * config.timeout_unit;

  int grace = 0;
  if (Status s = ReadCount(root, "shutdown_grace_period", "shutdown_grace_period", grace);
      !s.ok()) {
    return s;
  }
  if (!Child(root, "shutdown_grace_period").is_null()) {
    config.shutdown_grace_period = grace * config.timeout_unit;
  }

  std::string format = "text";
  if (Status s = ReadChoice(root, "logging_format", "logging_format", {"text", "json"}, format);
      !s.ok()) {
    return s;
  }
  config.logging_format = format == "json" ? LogFormat::kJson : LogFormat::kText;
  return config;
}

}  // namespace

Result<Config> ParseConfig(const std::string& yaml_text) {
  Json root;
  try {
    root = YamlToJson(YAML::Load(yaml_text));
  } catch (const YAML::Exception& error) {
    return Status::InvalidArgument("config is not valid YAML: " + Printable(error.msg) +
                                   " at line " + std::to_string(error.mark.line + 1));
  }
  return Validate(root);
}

Result<Config> LoadConfigFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Status::InvalidArgument("cannot read config file " + path);
  std::stringstream text;
  text << file.rdbuf();
  auto config = ParseConfig(text.str());
  if (!config.ok()) return Status::InvalidArgument(path + ": " + config.status().message());
  return config;
}

}  // namespace valet::app
