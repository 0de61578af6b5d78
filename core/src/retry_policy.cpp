#include "valet/core/retry_policy.hpp"

#include <algorithm>

namespace valet::core {

std::chrono::milliseconds RetryPolicy::DelayBefore(int retry) {
  auto ceiling = std::max(options_.max_delay, std::chrono::milliseconds{1});
  auto delay = std::max(options_.base_delay, std::chrono::milliseconds{1});
  // Doubling stops at the ceiling, so no shift overflows however many retries there are.
  for (int i = 1; i < retry && delay < ceiling; ++i) delay *= 2;
  delay = std::min(delay, ceiling);
  std::lock_guard lock(mutex_);
  std::uniform_int_distribution<std::int64_t> jitter(delay.count() / 2, delay.count());
  return std::chrono::milliseconds{jitter(random_)};
}

}  // namespace valet::core
