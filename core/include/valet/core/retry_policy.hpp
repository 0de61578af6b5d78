#pragma once

#include <chrono>
#include <mutex>
#include <random>

namespace valet::core {

struct RetryOptions {
  // The wait before the first retry; each further retry waits twice as long, up to `max_delay`.
  std::chrono::milliseconds base_delay{1000};
  std::chrono::milliseconds max_delay{std::chrono::hours{1}};
};

// Exponential backoff with jitter: the n-th retry waits a random time between half and all of
// min(max_delay, base_delay * 2^(n-1)), so jobs that failed together do not retry together.
// Safe to use from any thread.
class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options, unsigned seed = std::random_device{}())
      : options_(options), random_(seed) {}

  // The wait before retry number `retry` (1 for the first).
  std::chrono::milliseconds DelayBefore(int retry);

 private:
  RetryOptions options_;
  std::mutex mutex_;
  std::mt19937 random_;
};

}  // namespace valet::core
