#include "valet/adapters/memory/register.hpp"

#include "valet/adapters/memory/memory_job_queue.hpp"
#include "valet/adapters/memory/memory_job_repository.hpp"
#include "valet/core/settings_reader.hpp"

namespace valet::adapters::memory {

void Register(core::AdapterRegistry& registry) {
  registry.AddRepository(
      "memory", "memory",
      [](const core::AdapterSettings&) -> Result<std::unique_ptr<JobRepository>> {
        return std::unique_ptr<JobRepository>(std::make_unique<MemoryJobRepository>());
      });
  registry.AddQueue(
      "memory", "memory_job_queue",
      [](const core::AdapterSettings& settings) -> Result<std::unique_ptr<JobQueue>> {
        std::int64_t capacity = 0;  // 0 = valet's default
        if (Status read = core::ReadInteger(settings, "capacity", 0, 100'000'000, capacity);
            !read.ok()) {
          return read;
        }
        return std::unique_ptr<JobQueue>(std::make_unique<MemoryJobQueue>(
            capacity == 0 ? 100 : static_cast<std::size_t>(capacity)));
      });
}

}  // namespace valet::adapters::memory
