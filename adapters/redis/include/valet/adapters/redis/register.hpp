#pragma once

#include "valet/core/adapter_registry.hpp"

namespace valet::adapters::redis {

// Adds `repository.option: redis` and `job_queue.option: redis`. Settings, in
// `repository.redis` / `job_queue.redis`: key_prefix (default valet), pool_size (0 → 10),
// min_idle_conns (0 → 10); the repository's result_ttl (ms, 0 = results are kept) and the
// queue's lease (ms, default 30000) and prefetch (default 1). The server is REDIS_URL (environment
// or /run/secrets/redis_url), shared by both.
void Register(core::AdapterRegistry& registry);

}  // namespace valet::adapters::redis
