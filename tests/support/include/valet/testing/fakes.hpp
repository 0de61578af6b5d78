#pragma once

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "valet/ports/clock.hpp"
#include "valet/ports/id_generator.hpp"
#include "valet/ports/job_queue.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/logger.hpp"

namespace valet::testing {

// A worker's claim at `at` under `token`, good for `length`.
inline Lease LeaseAt(TimePoint at, std::string token = "lease-token",
                     std::chrono::microseconds length = std::chrono::seconds{30}) {
  return Lease{std::move(token), at, at + length};
}

// A clock that moves only when the test says so.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = TimePoint{std::chrono::hours{24 * 365 * 50}})
      : now_(start) {}
  TimePoint Now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void Advance(std::chrono::microseconds by) {
    std::lock_guard lock(mutex_);
    now_ += by;
  }
  void Set(TimePoint to) {
    std::lock_guard lock(mutex_);
    now_ = to;
  }

 private:
  mutable std::mutex mutex_;
  TimePoint now_;
};

// Ids that are valid UUIDs and count up: 00000000-0000-4000-8000-000000000001, ...
class SequentialIds final : public IdGenerator {
 public:
  std::string NewId() override {
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012llu",
                  static_cast<unsigned long long>(++next_));
    return id;
  }

 private:
  std::atomic<unsigned long long> next_{0};
};

// Records the ids pushed (refusing them while `full`) and delivers nothing: for tests that run
// jobs by hand. Not thread-safe.
class RecordingJobQueue final : public JobQueue {
 public:
  explicit RecordingJobQueue(bool durable = false) : durable_(durable) {}

  Status Push(const std::string& id) override {
    if (full) return Status::Unavailable("full");
    pushed.push_back(id);
    return Status::Ok();
  }
  Status PushBatch(const std::vector<std::string>& ids) override {
    if (full) return Status::Unavailable("full");
    pushed.insert(pushed.end(), ids.begin(), ids.end());
    return Status::Ok();
  }
  Result<std::optional<Delivery>> Receive(std::chrono::milliseconds) override {
    return std::optional<Delivery>{};
  }
  Result<std::vector<Delivery>> ReceiveBatch(std::size_t, std::chrono::milliseconds) override {
    return std::vector<Delivery>{};
  }
  Status Ack(const Delivery&) override { return Status::Ok(); }
  Status AckBatch(const std::vector<Delivery>&) override { return Status::Ok(); }
  Status Nack(const Delivery&, bool) override { return Status::Ok(); }
  Status CheckHealth() override { return Status::Ok(); }
  Result<std::int64_t> Depth() override { return std::int64_t{0}; }
  bool IsDurable() const override { return durable_; }
  void Close() override {}

  std::vector<std::string> pushed;
  bool full = false;

 private:
  bool durable_;
};

// Keeps every message, for tests that check what was logged.
class RecordingLogger final : public Logger {
 public:
  // Each line as "component: message key=value ...".
  void Write(LogLevel, std::string_view component, std::string_view message,
             std::span<const LogField> fields) override {
    std::string line = std::string(component) + ": " + std::string(message);
    for (const LogField& field : fields) line += " " + std::string(field.key) + "=" + field.value;
    std::lock_guard lock(mutex_);
    lines_.push_back(std::move(line));
  }
  std::vector<std::string> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace valet::testing
