#pragma once

#include "valet/core/adapter_registry.hpp"

namespace valet::adapters::memory {

// Adds `repository.option: memory` and `job_queue.option: memory`
// (settings: `job_queue.memory_job_queue.capacity`, default 100).
void Register(core::AdapterRegistry& registry);

}  // namespace valet::adapters::memory
