#pragma once

#include "valet/adapters/rabbitmq/rabbitmq_job_queue.hpp"
#include "valet/core/adapter_registry.hpp"

namespace valet::adapters::rabbitmq {

// Reads `job_queue.rabbitmq` (queue_params, consume_params, publish_params, with valet's key
// names; `queue_name` and `deleted_when_unused` are accepted as the other spellings valet used),
// RABBITMQ_URI and the prefetch (worker_pool.queue_capacity). An unknown key or a value of the
// wrong type is kInvalidArgument naming the full key. Settings that can lose jobs (auto_ack: true,
// durable: false, mandatory: false) are allowed but logged as warnings.
Result<RabbitmqOptions> ReadRabbitmqOptions(const core::AdapterSettings& settings);

}  // namespace valet::adapters::rabbitmq
