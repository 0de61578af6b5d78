#pragma once

#include <memory>
#include <string>

#include "mysql_connection.hpp"
#include "valet/adapters/mysql/mysql_job_repository.hpp"

namespace valet::testing {

// MYSQL_DSN, or "" after recording a test failure that says how to start the server.
std::string MysqlDsn();

// A database of its own for each repository a test makes, so tests can run in parallel against
// one server; every database this process made is dropped when the test program ends.
std::string FreshDatabase();

// A repository on a fresh database; nullptr (with a test failure recorded) if it cannot be opened.
std::unique_ptr<adapters::mysql::MysqlJobRepository> OpenFreshRepository();

// Options for a repository on `database` (created when it opens).
adapters::mysql::MysqlOptions OptionsFor(const std::string& database);

// A connection of its own to `database`, created first if it is missing; nullptr (with a test
// failure recorded) if it cannot be made.
std::unique_ptr<adapters::mysql::MysqlConnection> Connect(const std::string& database);

}  // namespace valet::testing
