#pragma once

#include <string>

#include "pg_connection.hpp"
#include "valet/core/connection_pool.hpp"

namespace valet::adapters::postgres {

using PoolOptions = core::ConnectionPoolOptions;

// The shared connection pool, opening PostgreSQL connections into `schema`.
class PgPool final : public core::ConnectionPool<PgConnection> {
 public:
  PgPool(std::string conninfo, std::string schema, PoolOptions options)
      : ConnectionPool(options, "postgres",
                       [conninfo = std::move(conninfo), schema = std::move(schema)] {
                         return PgConnection::Open(conninfo, schema);
                       }) {}
};

}  // namespace valet::adapters::postgres
