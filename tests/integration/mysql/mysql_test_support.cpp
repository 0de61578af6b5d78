#include "mysql_test_support.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <vector>

namespace valet::testing {

namespace {

std::mutex databases_mutex;
std::vector<std::string>& Databases() {
  static std::vector<std::string> databases;
  return databases;
}

class DropDatabases : public ::testing::Environment {
 public:
  void TearDown() override {
    std::string dsn = std::getenv("MYSQL_DSN") ? std::getenv("MYSQL_DSN") : "";
    auto endpoint = adapters::mysql::ParseDsn(dsn);
    if (!endpoint.ok()) return;
    auto connection = adapters::mysql::MysqlConnection::Open(*endpoint, "");
    if (!connection.ok()) return;
    std::lock_guard lock(databases_mutex);
    for (const auto& database : Databases()) {
      (*connection)->Execute("DROP DATABASE IF EXISTS `" + database + "`").status().IgnoreError();
    }
  }
};

const auto* const kDropDatabases = ::testing::AddGlobalTestEnvironment(new DropDatabases);

}  // namespace

std::string MysqlDsn() {
  const char* dsn = std::getenv("MYSQL_DSN");
  if (!dsn || !*dsn) {
    ADD_FAILURE() << "MYSQL_DSN is not set: start the test server with "
                     "eval \"$(scripts/servers.sh)\"";
    return "";
  }
  return dsn;
}

std::string FreshDatabase() {
  static std::atomic<int> next{0};
  std::string database = "valet_test_" + std::to_string(::getpid()) + "_" + std::to_string(++next);
  std::lock_guard lock(databases_mutex);
  Databases().push_back(database);
  return database;
}

std::unique_ptr<adapters::mysql::MysqlJobRepository> OpenFreshRepository() {
  adapters::mysql::MysqlOptions options;
  options.dsn = MysqlDsn();
  if (options.dsn.empty()) return nullptr;
  options.database = FreshDatabase();
  auto repository = adapters::mysql::MysqlJobRepository::Open(options);
  if (!repository.ok()) {
    ADD_FAILURE() << "cannot open the mysql repository: " << repository.status().ToString();
    return nullptr;
  }
  return std::move(*repository);
}

adapters::mysql::MysqlOptions OptionsFor(const std::string& database) {
  adapters::mysql::MysqlOptions options;
  options.dsn = MysqlDsn();
  options.database = database;
  return options;
}

std::unique_ptr<adapters::mysql::MysqlConnection> Connect(const std::string& database) {
  auto endpoint = adapters::mysql::ParseDsn(MysqlDsn());
  EXPECT_TRUE(endpoint.ok()) << endpoint.status().ToString();
  if (!endpoint.ok()) return nullptr;
  auto server = adapters::mysql::MysqlConnection::Open(*endpoint, "");
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  if (!server.ok()) return nullptr;
  EXPECT_TRUE((*server)->Execute("CREATE DATABASE IF NOT EXISTS `" + database + "`").ok());
  auto connection = adapters::mysql::MysqlConnection::Open(*endpoint, database);
  EXPECT_TRUE(connection.ok()) << connection.status().ToString();
  return connection.ok() ? std::move(*connection) : nullptr;
}

}  // namespace valet::testing
