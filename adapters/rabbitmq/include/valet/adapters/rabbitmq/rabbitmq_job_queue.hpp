#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "valet/core/adapter_registry.hpp"
#include "valet/ports/job_queue.hpp"
#include "valet/ports/logger.hpp"

namespace valet::adapters::rabbitmq {

class RabbitmqConsumer;

// Where and how jobs travel through RabbitMQ. The names follow valet's config keys
// (`job_queue.rabbitmq.{queue_params, consume_params, publish_params}`); the defaults are the safe
// ones, not valet's: a durable queue and manual acks.
struct RabbitmqOptions {
  std::string uri;  // RABBITMQ_URI: amqp://user:password@host:port/vhost

  std::string queue = "job";  // queue_params.name (or queue_name)
  bool durable = true;
  bool delete_when_unused = false;
  bool exclusive = false;

  std::string consumer_tag = "rabbitmq-consumer";  // consume_params.name
  bool auto_ack = false;  // true acks on delivery: a job is lost if this process dies
  bool consume_exclusive = false;
  bool no_local = false;

  std::string exchange;     // "" is the default exchange, which routes by queue name
  std::string routing_key;  // "" means the queue's name
  bool mandatory = true;    // an unroutable job is refused instead of silently dropped

  int prefetch = 8;  // unacked deliveries this process may hold (basic.qos)
  int heartbeat_seconds = 10;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds confirm_timeout{5000};  // longest a Push waits for the broker
};

// A JobQueue on RabbitMQ (AMQP 0-9-1, librabbitmq-c). Nothing the broker confirmed is lost while
// it restarts: the queue is durable, messages are persistent (delivery mode 2), every Push waits
// for the broker's publisher confirm and is mandatory, so an unroutable job is an error rather
// than a silent drop. A delivery stays unacked on the broker until Ack(), which the worker pool
// calls once the job's outcome is stored; if this process dies first, the broker delivers the job
// again. Prefetch (basic.qos) bounds the unacked deliveries one process holds, and so the
// duplicates a crash can cause.
//
// Threading: librabbitmq connections are not thread-safe, so each has one owner. One I/O thread
// owns the consumer connection: it fills a local buffer that Receive() takes from and carries out
// the acks and nacks that workers queue. Push() borrows one of a small pool of publisher
// connections in confirm mode, each used by one Push() at a time, so that each channel has one
// publish waiting for its confirm. After a failed connect, pushes fail at once for a second
// instead of each waiting for its own connect timeout.
//
// delivery_count is 1 for a first delivery and 2 for any redelivery: classic queues only say
// whether a message was delivered before (the `redelivered` flag), not how often.
//
// While the broker is down Push() and CheckHealth() fail with kUnavailable, buffered deliveries
// are dropped (the broker requeues them), and the consumer reconnects by itself with backoff,
// declares the queue again and resumes consuming. A body that is not a job id (a UUID) is
// rejected with an error log and never reaches a worker. Acks of deliveries received before a
// reconnect return kUnavailable: the broker delivers those jobs again.
class RabbitmqJobQueue final : public JobQueue {
 public:
  // Validates the URI and connects; kInvalidArgument for a bad URI, kUnavailable if the broker
  // refuses the queue declaration. A broker that cannot be reached is not an error: Push() and
  // CheckHealth() answer kUnavailable until it can, and the consumer connects by itself.
  static Result<std::unique_ptr<RabbitmqJobQueue>> Open(const RabbitmqOptions& options,
                                                        Logger& logger);
  ~RabbitmqJobQueue() override;

  // `job_id` must be a UUID (kInvalidArgument otherwise), as the consumer drops anything else.
  Status Push(const std::string& job_id) override;
  Status PushBatch(const std::vector<std::string>& job_ids) override;
  Result<std::optional<Delivery>> Receive(std::chrono::milliseconds wait) override;
  Result<std::vector<Delivery>> ReceiveBatch(std::size_t max,
                                             std::chrono::milliseconds wait) override;
  Status Ack(const Delivery& delivery) override;
  Status AckBatch(const std::vector<Delivery>& deliveries) override;
  Status Nack(const Delivery& delivery, bool requeue) override;
  Status CheckHealth() override;
  // The queue's ready messages, asked of the broker on a publisher connection.
  Result<std::int64_t> Depth() override;
  bool IsDurable() const override { return true; }
  void Close() override;

 private:
  struct PublisherSlot;

  RabbitmqJobQueue(const RabbitmqOptions& options, Logger& logger);
  // A free publisher if there is one, else the next one in turn once it is free; locked.
  std::pair<PublisherSlot*, std::unique_lock<std::mutex>> LendPublisher();

  const RabbitmqOptions options_;
  Logger& logger_;
  std::unique_ptr<RabbitmqConsumer> consumer_;
  std::vector<std::unique_ptr<PublisherSlot>> publishers_;
  std::atomic<std::size_t> next_publisher_{0};

  std::mutex down_mutex_;  // a failed connect: pushes fail at once until down_until_
  std::chrono::steady_clock::time_point down_until_;
  std::string down_reason_;
};

// Adds `job_queue.option: rabbitmq` (settings: `job_queue.rabbitmq.{queue_params,
// consume_params, publish_params}`, URI from RABBITMQ_URI, prefetch from
// worker_pool.queue_capacity).
void Register(core::AdapterRegistry& registry);

}  // namespace valet::adapters::rabbitmq
