#pragma once

#include <string>

#include "valet/ports/status.hpp"

namespace valet::adapters::mysql {

// Where and as whom to connect.
struct MysqlEndpoint {
  std::string user;
  std::string password;
  std::string host = "127.0.0.1";
  unsigned int port = 3306;
  std::string database;
};

// Parses mysql://user:password@host:port/database[?params] (user and password may be
// percent-encoded) or the Go driver's user:password@tcp(host:port)/database[?params]. Query
// parameters are ignored. kInvalidArgument for anything else.
Result<MysqlEndpoint> ParseDsn(const std::string& dsn);

// True for names made of lower-case letters, digits and underscores that MySQL accepts as a
// database name (at most 64 characters), so they can be spliced into SQL.
bool IsValidDatabaseName(const std::string& name);

}  // namespace valet::adapters::mysql
