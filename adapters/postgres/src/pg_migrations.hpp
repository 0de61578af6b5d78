#pragma once

#include <string>

#include "pg_connection.hpp"

namespace valet::adapters::postgres {

// The schema valet needs, as numbered steps that never drop data (one replaces an index with a
// smaller one). Migrate() brings the schema it is connected to from whatever version it is at
// (none, for an empty database) up to `target_version`, each step in its own transaction, under
// an advisory lock so that processes starting together take turns.
inline constexpr int kLatestSchemaVersion = 9;

Status Migrate(PgConnection& connection, const std::string& schema,
               int target_version = kLatestSchemaVersion);

// The version recorded in the schema; 0 when no migration has run.
Result<int> SchemaVersion(PgConnection& connection);

}  // namespace valet::adapters::postgres
