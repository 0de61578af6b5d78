#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "amqp_connection.hpp"
#include "valet/adapters/rabbitmq/rabbitmq_job_queue.hpp"

namespace valet::adapters::rabbitmq {

// One publisher connection in confirm mode. Not thread-safe: the queue lends each publisher to
// one push at a time, so a channel's confirms are all for the batch being published.
class RabbitmqPublisher {
 public:
  RabbitmqPublisher(const RabbitmqOptions& options, AmqpAddress address)
      : options_(options), address_(std::move(address)) {}

  // Connects if it is not connected (enables confirms and declares the queue).
  Status Connect();
  bool connected() const { return connection_ != nullptr; }
  // Publishes the bodies persistently, in order, and waits for the broker's confirms. OK once the
  // broker has them all; kUnavailable when it refused one (basic.nack), could not route one
  // (basic.return) or could not be reached. `may_retry` says the failure came from a connection
  // that broke while idle, before the broker could have taken any message.
  Status Publish(const std::vector<std::string>& bodies, bool& may_retry);
  // The messages ready in the queue (not those delivered and unacknowledged), from a passive
  // queue.declare.
  Result<std::int64_t> QueueDepth();

 private:
  Status Drop(const std::string& reason);

  const RabbitmqOptions& options_;
  const AmqpAddress address_;
  std::unique_ptr<AmqpConnection> connection_;
  std::uint64_t published_ = 0;  // publishes on the current channel: the next confirm's tag
};

}  // namespace valet::adapters::rabbitmq
