#include "postgres_test_support.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "pg_connection.hpp"

namespace valet::testing {

namespace {

std::mutex schemas_mutex;
std::vector<std::string>& Schemas() {
  static std::vector<std::string> schemas;
  return schemas;
}

class DropSchemas : public ::testing::Environment {
 public:
  void TearDown() override {
    std::string dsn = std::getenv("POSTGRES_DSN") ? std::getenv("POSTGRES_DSN") : "";
    if (dsn.empty()) return;
    auto connection = adapters::postgres::PgConnection::Open(dsn, "public");
    if (!connection.ok()) return;
    std::lock_guard lock(schemas_mutex);
    for (const auto& schema : Schemas()) {
      (*connection)->Execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE").status().IgnoreError();
    }
  }
};

const auto* const kDropSchemas = ::testing::AddGlobalTestEnvironment(new DropSchemas);

}  // namespace

std::string PostgresDsn() {
  const char* dsn = std::getenv("POSTGRES_DSN");
  if (!dsn || !*dsn) {
    ADD_FAILURE() << "POSTGRES_DSN is not set: start the test server with "
                     "eval \"$(scripts/servers.sh)\"";
    return "";
  }
  return dsn;
}

std::string FreshSchema() {
  static std::atomic<int> next{0};
  std::string schema = "valet_test_" + std::to_string(::getpid()) + "_" + std::to_string(++next);
  std::lock_guard lock(schemas_mutex);
  Schemas().push_back(schema);
  return schema;
}

std::unique_ptr<adapters::postgres::PostgresJobRepository> OpenRepository(
    const std::string& schema) {
  adapters::postgres::PostgresOptions options;
  options.dsn = PostgresDsn();
  if (options.dsn.empty()) return nullptr;
  options.schema = schema;
  auto repository = adapters::postgres::PostgresJobRepository::Open(options);
  if (!repository.ok()) {
    ADD_FAILURE() << "cannot open the postgres repository: " << repository.status().ToString();
    return nullptr;
  }
  return std::move(*repository);
}

std::unique_ptr<adapters::postgres::PostgresJobRepository> OpenFreshRepository() {
  return OpenRepository(FreshSchema());
}

}  // namespace valet::testing
