#include "valet/adapters/memory/register.hpp"

#include "valet/adapters/memory/memory_job_queue.hpp"
#include "valet/adapters/memory/memory_job_repository.hpp"

namespace valet::adapters::memory {

namespace {
constexpr std::int64_t kDefaultCapacity = 100;
}  // namespace

void Register(core::AdapterRegistry& registry) {
  registry.AddRepository(
      "memory", "memory",
      [](const core::AdapterSettings&) -> Result<std::unique_ptr<JobRepository>> {
        return std::unique_ptr<JobRepository>(std::make_unique<MemoryJobRepository>());
      });
  registry.AddQueue(
      "memory", "memory_job_queue",
      [](const core::AdapterSettings& settings) -> Result<std::unique_ptr<JobQueue>> {
        std::int64_t capacity = kDefaultCapacity;
        if (settings.section.is_object() && settings.section.contains("capacity")) {
          const Json& value = settings.section["capacity"];
          if (!value.is_number_integer() || value.get<std::int64_t>() < 0) {
            return Status::InvalidArgument(
                settings.key + ".capacity must be a non-negative integer, got " + JsonText(value));
          }
          if (value.get<std::int64_t>() > 0) capacity = value.get<std::int64_t>();
        }
        return std::unique_ptr<JobQueue>(
            std::make_unique<MemoryJobQueue>(static_cast<std::size_t>(capacity)));
      });
}

}  // namespace valet::adapters::memory
