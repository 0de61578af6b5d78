#include "valet/adapters/memory/memory_job_queue.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

namespace valet::adapters::memory {

namespace {

constexpr int kSpins = 16;

// Receipts are the decimal numbers Receive() hands out; anything else matches no lease.
std::uint64_t ReceiptNumber(const std::string& receipt) {
  std::uint64_t number = 0;
  std::from_chars(receipt.data(), receipt.data() + receipt.size(), number);
  return number;
}

}  // namespace

Status MemoryJobQueue::Push(const std::string& job_id) {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return Status::Unavailable("job queue is closed");
    if (waiting_.size() >= capacity_) {
      return Status::Unavailable("job queue is full - try again later");
    }
    waiting_.push_back(Entry{job_id, 0});
    // Busy workers come back for more by themselves; only a sleeping one needs a wake-up.
    wake = waiting_receivers_ > 0;
  }
  if (wake) ready_.notify_one();
  return Status::Ok();
}

Status MemoryJobQueue::PushBatch(const std::vector<std::string>& job_ids) {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return Status::Unavailable("job queue is closed");
    // All or none: a batch that does not fit is refused whole.
    if (waiting_.size() + job_ids.size() > capacity_) {
      return Status::Unavailable("job queue is full - try again later");
    }
    for (const std::string& id : job_ids) waiting_.push_back(Entry{id, 0});
    wake = waiting_receivers_ > 0;
  }
  if (wake) ready_.notify_all();
  return Status::Ok();
}

Result<std::optional<Delivery>> MemoryJobQueue::Receive(std::chrono::milliseconds wait) {
  auto received = ReceiveBatch(1, wait);
  if (!received.ok()) return received.status();
  if (received->empty()) return std::optional<Delivery>{};
  return std::optional<Delivery>{std::move(received->front())};
}

Result<std::vector<Delivery>> MemoryJobQueue::ReceiveBatch(std::size_t max,
                                                           std::chrono::milliseconds wait) {
  std::vector<Delivery> deliveries;
  std::unique_lock lock(mutex_);
  // Under a steady stream the next job usually arrives within microseconds: look again a few
  // times, yielding the CPU to the submitter, before paying for a sleep and a wake-up.
  for (int spin = 0; spin < kSpins && waiting_.empty() && !closed_; ++spin) {
    lock.unlock();
    std::this_thread::yield();
    lock.lock();
  }
  ++waiting_receivers_;
  bool ready = ready_.wait_for(lock, wait, [this] { return closed_ || !waiting_.empty(); });
  --waiting_receivers_;
  if (!ready || closed_) return deliveries;
  while (deliveries.size() < std::max<std::size_t>(max, 1) && !waiting_.empty()) {
    Entry entry = std::move(waiting_.front());
    waiting_.pop_front();
    ++entry.delivery_count;
    std::uint64_t receipt = next_receipt_++;
    deliveries.push_back(Delivery{entry.job_id, std::to_string(receipt), entry.delivery_count});
    leased_.emplace(receipt, std::move(entry));
  }
  return deliveries;
}

Status MemoryJobQueue::Ack(const Delivery& delivery) {
  std::lock_guard lock(mutex_);
  if (leased_.erase(ReceiptNumber(delivery.receipt)) == 0) {
    return Status::NotFound("no delivery with receipt " + delivery.receipt);
  }
  return Status::Ok();
}

Status MemoryJobQueue::AckBatch(const std::vector<Delivery>& deliveries) {
  std::lock_guard lock(mutex_);
  Status first = Status::Ok();
  for (const Delivery& delivery : deliveries) {
    if (leased_.erase(ReceiptNumber(delivery.receipt)) == 0 && first.ok()) {
      first = Status::NotFound("no delivery with receipt " + delivery.receipt);
    }
  }
  return first;
}

Status MemoryJobQueue::Nack(const Delivery& delivery, bool requeue) {
  {
    std::lock_guard lock(mutex_);
    auto node = leased_.extract(ReceiptNumber(delivery.receipt));
    if (node.empty()) return Status::NotFound("no delivery with receipt " + delivery.receipt);
    // A job handed back goes first, and may exceed the capacity: it was admitted once already.
    if (requeue) waiting_.push_front(std::move(node.mapped()));
  }
  if (requeue) ready_.notify_all();
  return Status::Ok();
}

Status MemoryJobQueue::CheckHealth() {
  std::lock_guard lock(mutex_);
  return closed_ ? Status::Unavailable("job queue is closed") : Status::Ok();
}

void MemoryJobQueue::Close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

std::size_t MemoryJobQueue::size() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

}  // namespace valet::adapters::memory
