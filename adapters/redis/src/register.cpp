#include "valet/adapters/redis/register.hpp"

#include <initializer_list>
#include "valet/adapters/redis/redis_job_queue.hpp"
#include "valet/adapters/redis/redis_job_repository.hpp"

#include "valet/core/settings_reader.hpp"

namespace valet::adapters::redis {

namespace {

// What both adapters read: the server, the key prefix and the pool's size.
struct CommonSettings {
  RedisEndpoint endpoint;
  std::string key_prefix = "valet";
  int pool_size = 10;
  int min_idle_conns = 10;
};

// Unknown keys are errors, as everywhere in config.yaml, so a typo does not pass silently.
Status CheckKnownKeys(const core::AdapterSettings& settings,
                      std::initializer_list<const char*> known) {
  if (!settings.section.is_object()) return Status::Ok();
  for (const auto& [key, value] : settings.section.items()) {
    bool found = false;
    for (const char* candidate : known) found |= key == candidate;
    if (found) continue;
    std::string valid;
    for (const char* candidate : known)
      valid += (valid.empty() ? "" : ", ") + std::string(candidate);
    std::string printable = JsonText(Json(key));
    return Status::InvalidArgument(settings.key + "." + printable.substr(1, printable.size() - 2) +
                                   ": unknown key - valid keys: " + valid);
  }
  return Status::Ok();
}

Result<CommonSettings> ReadCommon(const core::AdapterSettings& settings) {
  CommonSettings common;
  std::int64_t pool_size = 0;
  std::int64_t min_idle = 0;
  for (Status status : {core::ReadString(settings, "key_prefix", common.key_prefix),
                        core::ReadInteger(settings, "pool_size", 0, 1000, pool_size),
                        core::ReadInteger(settings, "min_idle_conns", 0, 1000, min_idle)}) {
    if (!status.ok()) return status;
  }
  if (Status prefix = CheckKeyPrefix(common.key_prefix); !prefix.ok()) {
    return Status::InvalidArgument(settings.key + ".key_prefix: " + prefix.message());
  }
  // valet's zero values mean "the default" (10 and 10).
  if (pool_size > 0) common.pool_size = static_cast<int>(pool_size);
  if (min_idle > 0) common.min_idle_conns = static_cast<int>(min_idle);
  std::string url = settings.secret("REDIS_URL");
  if (url.empty()) {
    return Status::InvalidArgument(
        "REDIS_URL is not set (environment or /run/secrets/redis_url), e.g. "
        "redis://127.0.0.1:6379/0");
  }
  auto endpoint = ParseRedisUrl(url);
  if (!endpoint.ok()) return endpoint.status();
  common.endpoint = std::move(*endpoint);
  return common;
}

Result<RedisRepositoryOptions> ReadRepositoryOptions(const core::AdapterSettings& settings) {
  if (Status keys =
          CheckKnownKeys(settings, {"key_prefix", "pool_size", "min_idle_conns", "result_ttl"});
      !keys.ok()) {
    return keys;
  }
  auto common = ReadCommon(settings);
  if (!common.ok()) return common.status();
  RedisRepositoryOptions options;
  options.endpoint = common->endpoint;
  options.key_prefix = common->key_prefix;
  options.pool_size = common->pool_size;
  options.min_idle_conns = common->min_idle_conns;
  std::int64_t ttl = 0;
  if (Status s = core::ReadInteger(settings, "result_ttl", 0, 100LL * 365 * 86'400'000, ttl);
      !s.ok()) {
    return s;
  }
  options.result_ttl = std::chrono::milliseconds(ttl);
  return options;
}

Result<RedisQueueOptions> ReadQueueOptions(const core::AdapterSettings& settings) {
  if (Status keys = CheckKnownKeys(
          settings, {"key_prefix", "pool_size", "min_idle_conns", "lease", "prefetch"});
      !keys.ok()) {
    return keys;
  }
  auto common = ReadCommon(settings);
  if (!common.ok()) return common.status();
  RedisQueueOptions options;
  options.endpoint = common->endpoint;
  options.key_prefix = common->key_prefix;
  options.pool_size = common->pool_size;
  options.min_idle_conns = common->min_idle_conns;
  std::int64_t lease = options.lease.count();
  std::int64_t prefetch = options.prefetch;
  for (Status status : {core::ReadInteger(settings, "lease", 100, 86'400'000, lease),
                        core::ReadInteger(settings, "prefetch", 1, 1000, prefetch)}) {
    if (!status.ok()) return status;
  }
  options.lease = std::chrono::milliseconds(lease);
  options.prefetch = static_cast<int>(prefetch);
  return options;
}

}  // namespace

void Register(core::AdapterRegistry& registry) {
  registry.AddRepository(
      "redis", "redis",
      [](const core::AdapterSettings& settings) -> Result<std::unique_ptr<JobRepository>> {
        auto options = ReadRepositoryOptions(settings);
        if (!options.ok()) return options.status();
        auto repository = RedisJobRepository::Open(*options);
        if (!repository.ok()) return repository.status();
        return std::unique_ptr<JobRepository>(std::move(*repository));
      });
  registry.AddQueue("redis", "redis",
                    [](const core::AdapterSettings& settings) -> Result<std::unique_ptr<JobQueue>> {
                      auto options = ReadQueueOptions(settings);
                      if (!options.ok()) return options.status();
                      auto queue = RedisJobQueue::Open(*options);
                      if (!queue.ok()) return queue.status();
                      return std::unique_ptr<JobQueue>(std::move(*queue));
                    });
}

}  // namespace valet::adapters::redis
