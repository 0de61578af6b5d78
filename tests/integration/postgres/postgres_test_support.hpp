#pragma once

#include <memory>
#include <string>

#include "valet/adapters/postgres/postgres_job_repository.hpp"

namespace valet::testing {

// POSTGRES_DSN, or "" after recording a test failure that says how to start the server.
std::string PostgresDsn();

// A schema of its own for each repository a test makes, so tests can run in parallel against one
// database; every schema this process made is dropped when the test program ends.
std::string FreshSchema();

// A repository on `schema` (several may share one, as valet instances do); nullptr (with a test
// failure recorded) if it cannot be opened.
std::unique_ptr<adapters::postgres::PostgresJobRepository> OpenRepository(
    const std::string& schema);

// A repository on a fresh schema, or nullptr as above.
std::unique_ptr<adapters::postgres::PostgresJobRepository> OpenFreshRepository();

}  // namespace valet::testing
