#include "valet/adapters/mysql/mysql_job_repository.hpp"
#include "valet/core/settings_reader.hpp"

namespace valet::adapters::mysql {

namespace {

Result<MysqlOptions> ReadOptions(const core::AdapterSettings& settings) {
  MysqlOptions options;
  std::int64_t lifetime = options.connection_max_lifetime.count();
  std::int64_t idle = options.max_idle_connections;
  std::int64_t open = options.max_open_connections;
  for (Status status :
       {core::ReadInteger(settings, "connection_max_lifetime", 0, 86'400'000, lifetime),
        core::ReadInteger(settings, "max_idle_connections", 0, 1000, idle),
        core::ReadInteger(settings, "max_open_connections", 0, 1000, open),
        core::ReadString(settings, "database", options.database)}) {
    if (!status.ok()) return status;
  }
  // valet's zero values mean "the default" (3000 ms, 8, 8).
  if (lifetime > 0) options.connection_max_lifetime = std::chrono::milliseconds(lifetime);
  if (idle > 0) options.max_idle_connections = static_cast<int>(idle);
  if (open > 0) options.max_open_connections = static_cast<int>(open);
  options.dsn = settings.secret("MYSQL_DSN");
  if (options.dsn.empty()) {
    return Status::InvalidArgument("MYSQL_DSN is not set (environment or /run/secrets/mysql_dsn)");
  }
  return options;
}

}  // namespace

void Register(core::AdapterRegistry& registry) {
  registry.AddRepository(
      "mysql", "mysql",
      [](const core::AdapterSettings& settings) -> Result<std::unique_ptr<JobRepository>> {
        auto options = ReadOptions(settings);
        if (!options.ok()) return options.status();
        auto repository = MysqlJobRepository::Open(*options);
        if (!repository.ok()) return repository.status();
        return std::unique_ptr<JobRepository>(std::move(*repository));
      });
}

}  // namespace valet::adapters::mysql
