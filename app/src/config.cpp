#include "valet/app/config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>
#include <thread>

#include "config_schedules.hpp"
#include "valet/core/duration_format.hpp"
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

// server.protocol: valet's `http` or `grpc`, or a list of them to serve both at once.
Status ReadProtocols(const Json& server, std::vector<std::string>& out) {
  const std::string key = "server.protocol";
  const Json& value = Child(server, "protocol");
  if (value.is_null()) return Status::Ok();
  auto known = [](const Json& item) { return item == "http" || item == "grpc"; };
  if (!value.is_array()) {
    if (!known(value)) {
      return Invalid(key, JsonText(value) + " is not valid - valid options: http, grpc");
    }
    out = {value.get<std::string>()};
    return Status::Ok();
  }
  if (value.empty()) return Invalid(key, "[] is not valid - give http, grpc or a list of them");
  std::vector<std::string> protocols;
  for (const Json& item : value) {
    if (!known(item)) {
      return Invalid(key, JsonText(item) + " is not valid - valid options: http, grpc");
    }
    std::string name = item.get<std::string>();
    if (std::find(protocols.begin(), protocols.end(), name) != protocols.end()) {
      return Invalid(key, "\"" + name + "\" is listed twice");
    }
    protocols.push_back(std::move(name));
  }
  out = std::move(protocols);
  return Status::Ok();
}

// A duration as text ("30s", "1h30m") or a whole number of timeout units, from `min` to `max`.
Status ReadDuration(const Json& section, const char* key, const std::string& path,
                    std::chrono::milliseconds unit, std::chrono::milliseconds min,
                    std::chrono::milliseconds max, std::chrono::milliseconds& out) {
  const Json& value = Child(section, key);
  if (value.is_null()) return Status::Ok();
  std::optional<std::chrono::milliseconds> duration;
  if (value.is_string()) {
    duration = core::ParseDuration(value.get<std::string>());
  } else if (value.is_number_integer() && value.get<std::int64_t>() >= 0 &&
             value.get<std::int64_t>() <= 1'000'000'000) {
    duration = value.get<std::int64_t>() * unit;
  }
  if (!duration || *duration < min || *duration > max) {
    return Invalid(path,
                   "must be a duration such as \"30s\", \"5m\" or \"250ms\" (or a number of "
                   "timeout units) from " +
                       std::to_string(min.count()) + "ms to " + std::to_string(max.count() / 1000) +
                       "s, got " + JsonText(value));
  }
  out = *duration;
  return Status::Ok();
}

// retention: how long finished jobs and pipelines are kept (see core::Pruner).
Status ReadRetention(const Json& retention, Config& config) {
  using std::chrono::hours;
  using std::chrono::milliseconds;
  if (Status s = CheckKeys(retention, "retention", {"max_age", "max_count", "prune_interval"});
      !s.ok()) {
    return s;
  }
  if (Status s = ReadDuration(retention, "max_age", "retention.max_age", config.timeout_unit,
                              milliseconds{1000}, hours{24 * 3650}, config.retention.max_age);
      !s.ok()) {
    return s;
  }
  int max_count = 0;
  if (Status s = ReadCount(retention, "max_count", "retention.max_count", max_count); !s.ok()) {
    return s;
  }
  config.retention.max_count = static_cast<std::size_t>(max_count);
  return ReadDuration(retention, "prune_interval", "retention.prune_interval", config.timeout_unit,
                      milliseconds{100}, hours{24}, config.retention.interval);
}

}  // namespace

Result<Role> ParseRole(const std::string& text) {
  if (text == "all") return Role::kAll;
  if (text == "api") return Role::kApi;
  if (text == "worker") return Role::kWorker;
  return Status::InvalidArgument("role: \"" + Printable(text) +
                                 "\" is not valid - valid options: all, api, worker");
}

namespace {

Result<Config> Validate(const Json& root) {
  Config config;
  if (!root.is_null() && !root.is_object()) return Invalid("config", "must be a mapping");
  if (Status keys = CheckKeys(root, "",
                              {"server", "job_queue", "worker_pool", "scheduler", "repository",
                               "storage", "timeout_unit", "logging_format", "shutdown_grace_period",
                               "role", "schedules", "retention"});
      !keys.ok()) {
    return keys;
  }

  // First: the durations below may be given in timeout units.
  std::string unit = "second";
  if (Status s = ReadChoice(root, "timeout_unit", "timeout_unit", {"second", "millisecond"}, unit);
      !s.ok()) {
    return s;
  }
  config.timeout_unit = std::chrono::milliseconds(unit == "second" ? 1000 : 1);

  const Json& server = Child(root, "server");
  if (Status s =
          CheckKeys(server, "server",
                    {"protocol", "http", "grpc", "idempotency_window", "allow_unauthenticated"});
      !s.ok()) {
    return s;
  }
  if (const Json& allow = Child(server, "allow_unauthenticated"); !allow.is_null()) {
    if (!allow.is_boolean()) {
      return Invalid("server.allow_unauthenticated",
                     "must be true or false, got " + JsonText(allow));
    }
    config.allow_unauthenticated = allow.get<bool>();
  }
  if (Status s = ReadProtocols(server, config.protocols); !s.ok()) return s;
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
  if (Status s = CheckKeys(pool, "worker_pool",
                           {"workers", "queue_capacity", "max_retries", "retry_backoff",
                            "retry_backoff_max", "lease"});
      !s.ok()) {
    return s;
  }
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

  if (Status s = ReadCount(pool, "max_retries", "worker_pool.max_retries", config.max_retries);
      !s.ok()) {
    return s;
  }
  if (config.max_retries > 100) {
    return Invalid("worker_pool.max_retries",
                   "must be from 0 to 100, got " + std::to_string(config.max_retries));
  }
  using std::chrono::hours;
  using std::chrono::milliseconds;
  if (Status s =
          ReadDuration(pool, "retry_backoff", "worker_pool.retry_backoff", config.timeout_unit,
                       milliseconds{1}, hours{24}, config.retry_backoff);
      !s.ok()) {
    return s;
  }
  if (Status s = ReadDuration(pool, "retry_backoff_max", "worker_pool.retry_backoff_max",
                              config.timeout_unit, config.retry_backoff, hours{24 * 7},
                              config.retry_backoff_max);
      !s.ok()) {
    return s;
  }
  if (Status s = ReadDuration(pool, "lease", "worker_pool.lease", config.timeout_unit,
                              milliseconds{100}, hours{24}, config.lease);
      !s.ok()) {
    return s;
  }
  if (Status s = ReadDuration(server, "idempotency_window", "server.idempotency_window",
                              config.timeout_unit, milliseconds{1000}, hours{24 * 30},
                              config.idempotency_window);
      !s.ok()) {
    return s;
  }

  const Json& scheduler = Child(root, "scheduler");
  if (Status s = CheckKeys(scheduler, "scheduler",
                           {"repository_polling_interval", "storage_polling_interval",
                            "job_queue_polling_interval", "requeue_stranded_after"});
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

  if (Status s = ReadDuration(scheduler, "requeue_stranded_after",
                              "scheduler.requeue_stranded_after", config.timeout_unit,
                              milliseconds{1000}, hours{24 * 7}, config.requeue_stranded_after);
      !s.ok()) {
    return s;
  }

  if (Status s = ReadRetention(Child(root, "retention"), config); !s.ok()) return s;

  const Json& role = Child(root, "role");
  if (!role.is_null()) {
    auto parsed = ParseRole(role.is_string() ? role.get<std::string>() : JsonText(role));
    if (!parsed.ok()) return parsed.status();
    config.role = *parsed;
  }

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
  if (Status s = ReadSchedules(Child(root, "schedules"), config.schedules); !s.ok()) return s;
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
