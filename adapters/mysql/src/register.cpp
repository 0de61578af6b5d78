#include "valet/adapters/mysql/mysql_job_repository.hpp"
#include "valet/core/settings_reader.hpp"

namespace valet::adapters::mysql {

namespace {

Result<MysqlOptions> ReadOptions(const core::AdapterSettings& settings) {
  MysqlOptions options;
  for (Status status : {core::ReadPoolOptions(settings, options.pool),
                        core::ReadString(settings, "database", options.database)}) {
    if (!status.ok()) return status;
  }
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
