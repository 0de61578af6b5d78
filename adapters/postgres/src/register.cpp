#include "valet/adapters/postgres/postgres_job_repository.hpp"
#include "valet/core/settings_reader.hpp"

namespace valet::adapters::postgres {

namespace {

Result<PostgresOptions> ReadOptions(const core::AdapterSettings& settings) {
  PostgresOptions options;
  for (Status status : {core::ReadPoolOptions(settings, options.pool),
                        core::ReadString(settings, "schema", options.schema)}) {
    if (!status.ok()) return status;
  }
  options.dsn = settings.secret("POSTGRES_DSN");
  if (options.dsn.empty()) {
    return Status::InvalidArgument(
        "POSTGRES_DSN is not set (environment or /run/secrets/postgres_dsn)");
  }
  return options;
}

}  // namespace

void Register(core::AdapterRegistry& registry) {
  registry.AddRepository(
      "postgres", "postgres",
      [](const core::AdapterSettings& settings) -> Result<std::unique_ptr<JobRepository>> {
        auto options = ReadOptions(settings);
        if (!options.ok()) return options.status();
        auto repository = PostgresJobRepository::Open(*options);
        if (!repository.ok()) return repository.status();
        return std::unique_ptr<JobRepository>(std::move(*repository));
      });
}

}  // namespace valet::adapters::postgres
