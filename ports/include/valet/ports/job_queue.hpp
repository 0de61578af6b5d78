#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "valet/ports/status.hpp"

namespace valet {

// A job handed to one receiver. `receipt` identifies this delivery to Ack()/Nack().
struct Delivery {
  std::string job_id;
  std::string receipt;
  int delivery_count = 1;  // 1 on first delivery, more when redelivered
};

// A JobQueue hands jobs to workers with at-least-once delivery. A received job stays leased to
// its receiver until Ack() or Nack(); a lease that is lost (its receiver died) makes the job
// receivable again, as far as the backend can tell. Jobs are received roughly in push order.
//
// Push() returns kUnavailable when the queue is full or its backend is down, and then the job was
// not queued. Receive() waits up to `wait` for a job and returns nullopt if none came, or at once
// after Close(). All methods are safe to call from any thread.
class JobQueue {
 public:
  JobQueue() = default;
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;
  virtual ~JobQueue() = default;

  virtual Status Push(const std::string& job_id) = 0;
  // Push() for several jobs at once, in order. After an error some of them may be queued (a
  // worker that receives a job the repository does not hold drops it).
  virtual Status PushBatch(const std::vector<std::string>& job_ids) = 0;
  virtual Result<std::optional<Delivery>> Receive(std::chrono::milliseconds wait) = 0;
  // Receive() for up to `max` jobs (at least 1): waits up to `wait` for the first, then takes
  // those already waiting without waiting for more. Empty if none came, or after Close().
  virtual Result<std::vector<Delivery>> ReceiveBatch(std::size_t max,
                                                     std::chrono::milliseconds wait) = 0;
  // The job's outcome is stored: forget it.
  virtual Status Ack(const Delivery& delivery) = 0;
  // Ack() for several deliveries in one round trip. Every delivery that can be acked is; the
  // first error is returned (kNotFound for a receipt that matches no delivery).
  virtual Status AckBatch(const std::vector<Delivery>& deliveries) = 0;
  // The receiver gives the job back: queue it again (requeue) or drop it.
  virtual Status Nack(const Delivery& delivery, bool requeue) = 0;
  virtual Status CheckHealth() = 0;
  // How many jobs wait to be received: pushed, and not handed to any receiver yet (received but
  // unacknowledged jobs are not counted). kUnavailable when the backend cannot be asked.
  virtual Result<std::int64_t> Depth() = 0;
  // True when pushed jobs outlive this process (a broker); false for a queue in process memory,
  // whose jobs the repository must hand back after a restart.
  virtual bool IsDurable() const = 0;
  // Stops deliveries: blocked and later Receive() calls return nullopt at once.
  virtual void Close() = 0;
};

}  // namespace valet
