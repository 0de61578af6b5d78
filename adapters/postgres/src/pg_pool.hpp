#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "pg_connection.hpp"
#include "pg_migrations.hpp"
#include "valet/core/connection_pool.hpp"

namespace valet::adapters::postgres {

using PoolOptions = core::ConnectionPoolOptions;

// The shared connection pool, opening PostgreSQL connections into `schema`. Until one migration
// has succeeded, every new connection first brings the schema up to date, so a valetd started
// while the server is down gets its tables as soon as the server answers.
class PgPool final : public core::ConnectionPool<PgConnection> {
 public:
  PgPool(std::string conninfo, std::string schema, PoolOptions options)
      : ConnectionPool(options, "postgres",
                       [conninfo = std::move(conninfo), schema = std::move(schema),
                        migrated = std::make_shared<std::atomic<bool>>(
                            false)]() -> Result<std::unique_ptr<PgConnection>> {
                         auto connection = PgConnection::Open(conninfo, schema);
                         if (!connection.ok() || migrated->load()) return connection;
                         // Migrate() takes an advisory lock: racing openers take turns.
                         if (Status status = Migrate(**connection, schema); !status.ok()) {
                           return status;
                         }
                         migrated->store(true);
                         return connection;
                       }) {}
};

// Runs one prepared statement on a connection from the repository's `pool_`, giving `result`;
// the connection stays held, as lease_<result>, until the end of the scope.
#define VALET_RUN(result, statement, ...)                   \
  auto lease_##result = pool_->Acquire();                   \
  if (!lease_##result.ok()) return lease_##result.status(); \
  auto result = (*lease_##result)->Run(#statement, statement, __VA_ARGS__)

}  // namespace valet::adapters::postgres
