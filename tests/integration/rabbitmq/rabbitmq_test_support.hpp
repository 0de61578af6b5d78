#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "amqp_connection.hpp"
#include "valet/adapters/rabbitmq/rabbitmq_job_queue.hpp"
#include "valet/ports/logger.hpp"

namespace valet::testing {

// RABBITMQ_URI, or "" after recording a test failure that says how to start the broker.
std::string RabbitmqUri();

// A queue name of its own for each test, so tests can run in parallel against one broker; every
// queue this process named is deleted when the test program ends.
std::string FreshQueueName();

// Options for a fresh queue on RABBITMQ_URI.
adapters::rabbitmq::RabbitmqOptions FreshOptions();

// The queue, or nullptr with a test failure recorded.
std::unique_ptr<adapters::rabbitmq::RabbitmqJobQueue> OpenQueue(
    const adapters::rabbitmq::RabbitmqOptions& options, Logger& logger);

// A plain AMQP connection for looking at the broker behind the adapter's back.
class BrokerClient {
 public:
  BrokerClient();
  bool ok() const { return connection_ != nullptr; }
  // Declares a durable queue (as the adapter does).
  bool Declare(const std::string& queue);
  // Ready messages in the queue (passive declare); -1 on error.
  int MessageCount(const std::string& queue);
  // Publishes `body` to the queue through the default exchange, with confirms.
  bool Publish(const std::string& queue, const std::string& body);
  struct Message {
    std::string body;
    int delivery_mode = 0;
  };
  // basic.get with auto-ack: the next ready message, if any.
  std::optional<Message> Get(const std::string& queue);
  bool Delete(const std::string& queue);

 private:
  std::unique_ptr<adapters::rabbitmq::AmqpConnection> connection_;
  std::uint64_t published_ = 0;
};

}  // namespace valet::testing
