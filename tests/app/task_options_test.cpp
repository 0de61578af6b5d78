// Task options, middleware and hooks given to valet::Valet, on real workers and the memory
// backends.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "valet/valet.hpp"

namespace valet {
namespace {

using namespace std::chrono_literals;

app::Config FourWorkers() {
  app::Config config;
  config.protocols = {};  // no API server: only the calls below
  config.workers = 4;
  config.shutdown_grace_period = 2s;
  return config;
}

// Waits for `value` to reach `expected` (hooks run just after the outcome is stored, so a waiter
// may see the job finished a moment before its hook ran).
bool Reaches(const std::atomic<int>& value, int expected) {
  auto give_up = std::chrono::steady_clock::now() + 10s;
  while (value.load() != expected && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(5ms);
  }
  return value.load() == expected;
}

TEST(TaskOptionsInProcess, ConcurrencyMiddlewareAndHooksHoldOnRealWorkers) {
  Valet valet(FourWorkers());
  std::atomic<int> running{0};
  std::atomic<int> most_running{0};
  std::atomic<int> succeeded{0};
  valet.Use([](TaskContext& ctx, const TaskFunction& next) {
    TaskResult result = next(ctx);
    if (result.kind() == TaskResult::Kind::kSuccess) result.metadata()["wrapped"] = true;
    return result;
  });
  valet.AddHooks(JobHooks{.on_success = [&succeeded](const JobEvent&) { ++succeeded; }});
  valet.RegisterTask(
      "narrow",
      [&](TaskContext&) -> TaskResult {
        int now = ++running;
        int most = most_running.load();
        while (now > most && !most_running.compare_exchange_weak(most, now)) {
        }
        std::this_thread::sleep_for(20ms);
        --running;
        return Json{{"ran", true}};
      },
      TaskOptions{.concurrency = 2, .concurrency_retry_after = 10ms});
  ASSERT_EQ(valet.Start(), 0);

  std::vector<std::string> ids;
  for (int i = 0; i < 8; ++i) {
    auto job = valet.Submit(JobRequest{.name = "n" + std::to_string(i), .task_name = "narrow"});
    ASSERT_TRUE(job.ok()) << job.status().ToString();
    ids.push_back(job->id);
  }
  for (const std::string& id : ids) {
    auto done = valet.WaitForJob(id, 20s);
    ASSERT_TRUE(done.ok()) << done.status().ToString();
    EXPECT_EQ(done->status, JobStatus::kCompleted);
    EXPECT_EQ(valet.GetResult(id)->metadata, (Json{{"ran", true}, {"wrapped", true}}));
  }
  EXPECT_TRUE(Reaches(succeeded, 8)) << succeeded.load();
  EXPECT_LE(most_running.load(), 2);
  EXPECT_GE(most_running.load(), 1);
}

TEST(TaskOptionsInProcess, OptionsAreRefusedOnceValetHasStarted) {
  Valet valet(FourWorkers());
  EXPECT_THROW(valet.RegisterTask(
                   "bad", [](TaskContext&) { return NoResult(); }, TaskOptions{.concurrency = -2}),
               std::invalid_argument);
  ASSERT_EQ(valet.Start(), 0);
  auto noop = [](TaskContext& ctx, const TaskFunction& next) { return next(ctx); };
  EXPECT_THROW(valet.Use(noop), std::logic_error);
  EXPECT_THROW(valet.AddHooks(JobHooks{.on_success = [](const JobEvent&) {}}), std::logic_error);
  EXPECT_THROW(valet.RegisterTask("late", [](TaskContext&) { return NoResult(); }),
               std::logic_error);
}

}  // namespace
}  // namespace valet
