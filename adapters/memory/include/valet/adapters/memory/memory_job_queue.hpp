#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "valet/ports/job_queue.hpp"

namespace valet::adapters::memory {

// A bounded FIFO queue in process memory. Push() into a full queue fails at once with
// kUnavailable ("job queue is full - try again later"), which the API turns into a 503. Leases
// last until Ack()/Nack(): a receiver in the same process cannot die alone. Nothing survives the
// process.
class MemoryJobQueue final : public JobQueue {
 public:
  explicit MemoryJobQueue(std::size_t capacity) : capacity_(capacity) {}

  Status Push(const std::string& job_id) override;
  Status PushBatch(const std::vector<std::string>& job_ids) override;
  Result<std::optional<Delivery>> Receive(std::chrono::milliseconds wait) override;
  Result<std::vector<Delivery>> ReceiveBatch(std::size_t max,
                                             std::chrono::milliseconds wait) override;
  Status Ack(const Delivery& delivery) override;
  Status AckBatch(const std::vector<Delivery>& deliveries) override;
  Status Nack(const Delivery& delivery, bool requeue) override;
  Status CheckHealth() override;
  bool IsDurable() const override { return false; }
  void Close() override;
  Result<std::int64_t> Depth() override { return static_cast<std::int64_t>(size()); }

  std::size_t size() const;

 private:
  struct Entry {
    std::string job_id;
    int delivery_count = 0;
  };

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Entry> waiting_;
  std::unordered_map<std::uint64_t, Entry> leased_;
  std::uint64_t next_receipt_ = 1;
  int waiting_receivers_ = 0;
  bool closed_ = false;
};

}  // namespace valet::adapters::memory
