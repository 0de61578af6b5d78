#include "queue_baseline.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/figures.hpp"
#include "valet/adapters/memory/memory_job_queue.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::bench {

double MeasureQueueThroughput(std::int64_t jobs, int consumers) {
  adapters::memory::MemoryJobQueue queue(static_cast<std::size_t>(jobs) + 1);
  // Real job ids (36 chars, past the small-string buffer), made before the clock starts: id
  // generation is the engine's cost, not the queue's.
  core::UuidGenerator ids;
  std::vector<std::string> job_ids;
  job_ids.reserve(static_cast<std::size_t>(jobs));
  for (std::int64_t i = 0; i < jobs; ++i) job_ids.push_back(ids.NewId());

  std::atomic<std::int64_t> received{0};
  std::mutex done_mutex;
  SteadyClock::time_point done_at;
  std::vector<std::thread> threads;
  for (int i = 0; i < consumers; ++i) {
    threads.emplace_back([&] {
      while (received.load(std::memory_order_relaxed) < jobs) {
        auto delivery = queue.Receive(std::chrono::milliseconds{10});
        if (!delivery.ok() || !delivery->has_value()) continue;
        queue.Ack(**delivery).IgnoreError();
        if (received.fetch_add(1, std::memory_order_relaxed) + 1 == jobs) {
          std::lock_guard lock(done_mutex);
          done_at = SteadyClock::now();
        }
      }
    });
  }

  auto start = SteadyClock::now();
  for (const std::string& id : job_ids) queue.Push(id).IgnoreError();
  for (auto& thread : threads) thread.join();
  return static_cast<double>(jobs) / SecondsBetween(start, done_at);
}

}  // namespace valet::bench
