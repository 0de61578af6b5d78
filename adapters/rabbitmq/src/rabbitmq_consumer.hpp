#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "amqp_connection.hpp"
#include "valet/adapters/rabbitmq/rabbitmq_job_queue.hpp"
#include "valet/ports/job_queue.hpp"
#include "valet/ports/logger.hpp"

namespace valet::adapters::rabbitmq {

// The receiving half of RabbitmqJobQueue. One I/O thread owns the consumer connection. It starts
// consuming when Receive() is first called (a process that only pushes holds no deliveries),
// then reads deliveries into a local buffer (at most `prefetch` of them are unacked at a time) and
// sends the acks and nacks that workers queue through Settle(), woken by an eventfd so a settlement
// goes out at once. When the connection fails it reconnects with backoff, declares the queue again
// and resumes consuming; the deliveries of the lost connection are forgotten, since the broker
// requeues them. Receive(), Settle(), CheckHealth() and Close() are safe from any thread.
class RabbitmqConsumer {
 public:
  enum class Settlement { kAck, kRequeue, kDrop };

  RabbitmqConsumer(const RabbitmqOptions& options, AmqpAddress address, Logger& logger);
  // Stops the I/O thread and closes the connection: the broker requeues what is unacked.
  ~RabbitmqConsumer();
  RabbitmqConsumer(const RabbitmqConsumer&) = delete;
  RabbitmqConsumer& operator=(const RabbitmqConsumer&) = delete;

  // Connects in the caller's thread, then starts the I/O thread. A broker that cannot be reached
  // is not an error (the thread keeps trying, with backoff); one that answers but refuses the
  // login's channel or the queue (declared with other settings, say) is, at start-up.
  Status Start();
  // Waits up to `wait` for a delivery, then takes up to `max` of those buffered.
  Result<std::vector<Delivery>> Receive(std::size_t max, std::chrono::milliseconds wait);
  // Queues the settlements for the I/O thread; the first error is returned, and the deliveries
  // it does not concern are settled all the same.
  Status Settle(const std::vector<Delivery>& deliveries, Settlement settlement);
  Status CheckHealth();
  bool closed();
  // Cancels the consumer and hands buffered deliveries back; acks keep working.
  void Close();

 private:
  struct Buffered {
    std::string job_id;
    std::uint64_t tag;
    bool redelivered;
  };
  struct Pending {
    std::uint64_t generation;
    std::uint64_t tag;
    Settlement settlement;
  };

  // `reached` (if given) tells whether the broker answered, whatever happened next.
  Status Connect(bool* reached = nullptr);
  // basic.consume on the current connection; on failure the connection is dropped.
  Status Consume();
  void Run();
  void ServeOnce();
  void SendSettlements();
  void CancelAfterClose();
  bool HandleFrame(const amqp_frame_t& frame);
  bool HandleDelivery(const amqp_frame_t& frame);
  void Disconnect(const std::string& reason);
  void Wake();

  const RabbitmqOptions& options_;  // owned by the queue, which outlives this
  const AmqpAddress address_;
  Logger& logger_;
  int wake_fd_ = -1;

  // The I/O thread's own (before it starts, Start()'s).
  std::unique_ptr<AmqpConnection> connection_;
  std::string consumer_tag_;
  bool consuming_ = false;
  bool cancelled_ = false;

  std::mutex mutex_;
  std::condition_variable ready_;    // receivers: a delivery arrived, or Close()
  std::condition_variable stopped_;  // the I/O thread's backoff: the destructor began
  std::deque<Buffered> buffer_;
  std::unordered_set<std::uint64_t> outstanding_;  // received, not yet settled
  std::vector<Pending> pending_;
  std::uint64_t generation_ = 1;  // counts connections; receipts name theirs
  bool connected_ = false;
  bool wanted_ = false;  // Receive() was called: consume
  bool closed_ = false;
  bool stopping_ = false;
  std::string last_error_;
  std::thread thread_;
};

}  // namespace valet::adapters::rabbitmq
