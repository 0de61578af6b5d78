#include "rabbitmq_options.hpp"
#include "valet/adapters/rabbitmq/rabbitmq_job_queue.hpp"

namespace valet::adapters::rabbitmq {

void Register(core::AdapterRegistry& registry) {
  registry.AddQueue("rabbitmq", "rabbitmq",
                    [](const core::AdapterSettings& settings) -> Result<std::unique_ptr<JobQueue>> {
                      auto options = ReadRabbitmqOptions(settings);
                      if (!options.ok()) return options.status();
                      auto queue = RabbitmqJobQueue::Open(*options, settings.logger);
                      if (!queue.ok()) return queue.status();
                      return std::unique_ptr<JobQueue>(std::move(*queue));
                    });
}

}  // namespace valet::adapters::rabbitmq
