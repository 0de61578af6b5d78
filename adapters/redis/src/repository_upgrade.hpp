#pragma once

#include "redis_connection.hpp"
#include "repository_keys.hpp"

namespace valet::adapters::redis {

// The layout version that {p}:schema_version records once a prefix is upgraded to it. 1: the
// lease and queued indexes (jobs:leases, jobs:queued) hold every job they describe. 2: the
// finished indexes (jobs:finished, pipelines:finished) do.
inline constexpr int kSchemaVersion = 2;

// Upgrades a key prefix written by an older valet, unless {p}:schema_version says it is done:
// files every PENDING, SCHEDULED and IN_PROGRESS job in the indexes its fields call for (an
// IN_PROGRESS job from before leases gets score 0, expired) and every finished job of no pipeline
// and finished pipeline in the finished indexes, then records the version. Doing it
// again, or in two instances at once, changes nothing more, and the instances that already use
// the prefix may go on meanwhile: each job is filed atomically from its fields as they are then.
// kUnavailable when the server cannot be reached.
Status UpgradeKeys(RedisPool& pool, const RepositoryKeys& keys);

}  // namespace valet::adapters::redis
