#pragma once

// The executor against the memory repository, with a fake clock and a task registry of its own,
// for the tests of job_executor_test.cpp and task_options_test.cpp.

#include <gtest/gtest.h>

#include <atomic>

#include "valet/adapters/memory/memory_job_repository.hpp"
#include "valet/core/job_executor.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::core {

// The executor against the memory repository as a behavioural fake.
class JobExecutorTest : public ::testing::Test {
 protected:
  JobExecutorTest() {
    executor_.SetAbandonHandler([this] { ++abandoned_; });
    Register("echo", [](TaskContext& ctx) -> TaskResult {
      Json result{{"params", ctx.RawParams()}};
      if (ctx.PreviousResult()) result["previous"] = *ctx.PreviousResult();
      return result;
    });
    Register("fail", [](TaskContext&) { return Failure("it broke", Json{{"partial", true}}); });
    Register("throw", [](TaskContext&) -> TaskResult { throw std::runtime_error("boom"); });
    Register("typed", [](TaskContext& ctx) -> TaskResult { return ctx.Params<int>(); });
  }

  void Register(const std::string& name, TaskFunction task) {
    tasks_.Register(name, std::move(task)).IgnoreError();
  }

  Job StoreJob(const std::string& task, Json params = nullptr, int timeout = 0) {
    Job job;
    job.id = ids_.NewId();
    job.name = "job " + task;
    job.task_name = task;
    job.task_params = std::move(params);
    job.timeout = timeout;
    job.created_at = clock_.Now();
    EXPECT_TRUE(repository_.CreateJob(job).ok());
    return job;
  }

  Job Reload(const std::string& id) { return repository_.GetJob(id).value(); }

  static ExecutorOptions Options() {
    ExecutorOptions options;
    options.timeout_unit = std::chrono::milliseconds(1);
    options.default_timeout = std::chrono::hours(1);
    options.retry = RetryOptions{std::chrono::seconds(10), std::chrono::seconds(60)};
    return options;
  }

  JobExecutor::Outcome Run(const std::string& id) {
    return executor_.Execute(Delivery{id, "r", 1});
  }

  adapters::memory::MemoryJobRepository repository_;
  testing::FakeClock clock_;
  testing::SequentialIds ids_;
  testing::RecordingLogger logger_;
  TaskRegistry tasks_;
  DeadlineTimer timer_;
  RunningJobs running_{repository_, clock_, logger_, std::chrono::seconds(30)};
  JobExecutor executor_{repository_, tasks_, clock_, ids_, logger_, timer_, running_, Options()};
  std::atomic<int> abandoned_{0};
};

}  // namespace valet::core
