#include "valet/core/deadline_timer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace valet::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(DeadlineTimerTest, RunsCallbackAtDeadline) {
  DeadlineTimer timer;
  std::promise<void> fired;
  timer.Schedule(steady_clock::now() + milliseconds(5), [&] { fired.set_value(); });
  EXPECT_EQ(fired.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

TEST(DeadlineTimerTest, CancelledCallbackNeverRuns) {
  DeadlineTimer timer;
  std::atomic<bool> ran{false};
  auto handle = timer.Schedule(steady_clock::now() + milliseconds(50), [&] { ran = true; });
  EXPECT_TRUE(timer.Cancel(handle));
  // A later callback proves the timer thread passed the cancelled deadline.
  std::promise<void> later;
  timer.Schedule(steady_clock::now() + milliseconds(100), [&] { later.set_value(); });
  later.get_future().wait();
  EXPECT_FALSE(ran);
}

TEST(DeadlineTimerTest, CancelAfterRunReportsItRan) {
  DeadlineTimer timer;
  std::promise<void> fired;
  auto handle = timer.Schedule(steady_clock::now(), [&] { fired.set_value(); });
  fired.get_future().wait();
  EXPECT_FALSE(timer.Cancel(handle));
}

TEST(DeadlineTimerTest, RunsEarlierDeadlinesFirst) {
  DeadlineTimer timer;
  std::mutex mutex;
  std::vector<int> order;
  std::promise<void> done;
  auto now = steady_clock::now();
  timer.Schedule(now + milliseconds(60), [&] {
    std::lock_guard lock(mutex);
    order.push_back(2);
    done.set_value();
  });
  timer.Schedule(now + milliseconds(20), [&] {
    std::lock_guard lock(mutex);
    order.push_back(1);
  });
  done.get_future().wait();
  std::lock_guard lock(mutex);
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

}  // namespace
}  // namespace valet::core
