#pragma once

#include <string>

#include "mysql_connection.hpp"
#include "valet/core/connection_pool.hpp"

namespace valet::adapters::mysql {

using PoolOptions = core::ConnectionPoolOptions;

// The shared connection pool, opening MySQL connections to `database`.
class MysqlPool final : public core::ConnectionPool<MysqlConnection> {
 public:
  MysqlPool(MysqlEndpoint endpoint, std::string database, PoolOptions options)
      : ConnectionPool(options, "mysql",
                       [endpoint = std::move(endpoint), database = std::move(database)] {
                         return MysqlConnection::Open(endpoint, database);
                       }) {}
};

}  // namespace valet::adapters::mysql
