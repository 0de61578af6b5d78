#pragma once

#include "mysql_connection.hpp"

namespace valet::adapters::mysql {

// The tables valet needs, as numbered steps that only ever add. Migrate() brings the database it
// is connected to from whatever version it is at (none, for an empty database) up to
// `target_version`, under a named lock (GET_LOCK) so that processes starting together take turns.
// It never drops anything.
inline constexpr int kLatestSchemaVersion = 8;

Status Migrate(MysqlConnection& connection, int target_version = kLatestSchemaVersion);

// The version recorded in the database; 0 when no migration has run.
Result<int> SchemaVersion(MysqlConnection& connection);

}  // namespace valet::adapters::mysql
