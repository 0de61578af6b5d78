#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "mysql_connection.hpp"
#include "mysql_migrations.hpp"
#include "valet/core/connection_pool.hpp"

namespace valet::adapters::mysql {

using PoolOptions = core::ConnectionPoolOptions;

// How the pool readies a database before its first use.
enum class DatabaseSetup { kUseExisting, kCreateIfMissing };

// The shared connection pool, opening MySQL connections to `database`. Until one migration has
// succeeded, every new connection first creates the database (if asked) and brings its tables up
// to date, so a valetd started while the server is down gets them as soon as the server answers.
class MysqlPool final : public core::ConnectionPool<MysqlConnection> {
 public:
  MysqlPool(MysqlEndpoint endpoint, std::string database, DatabaseSetup setup, PoolOptions options)
      : ConnectionPool(options, "mysql",
                       [endpoint = std::move(endpoint), database = std::move(database), setup,
                        migrated = std::make_shared<std::atomic<bool>>(false)] {
                         return OpenConnection(endpoint, database, setup, *migrated);
                       }) {}

  // Runs one prepared statement on a connection of the pool.
  Result<MysqlResult> Run(const std::string& name, const char* sql, const MysqlParams& params) {
    auto lease = Acquire();
    if (!lease.ok()) return lease.status();
    return (*lease)->Run(name, sql, params);
  }

 private:
  static Result<std::unique_ptr<MysqlConnection>> OpenConnection(const MysqlEndpoint& endpoint,
                                                                 const std::string& database,
                                                                 DatabaseSetup setup,
                                                                 std::atomic<bool>& migrated) {
    if (migrated.load()) return MysqlConnection::Open(endpoint, database);
    if (setup == DatabaseSetup::kCreateIfMissing) {
      auto server = MysqlConnection::Open(endpoint, "");
      if (!server.ok()) return server.status();
      // The name was checked by IsValidDatabaseName(): letters, digits and underscores only.
      auto created = (*server)->Execute("CREATE DATABASE IF NOT EXISTS `" + database +
                                        "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
      if (!created.ok()) return created.status();
    }
    auto connection = MysqlConnection::Open(endpoint, database);
    if (!connection.ok()) return connection;
    // Migrate() takes a named lock (GET_LOCK): racing openers take turns.
    if (Status status = Migrate(**connection); !status.ok()) return status;
    migrated.store(true);
    return connection;
  }
};

}  // namespace valet::adapters::mysql
