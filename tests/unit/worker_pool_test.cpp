#include "valet/core/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "valet/adapters/memory/memory_job_queue.hpp"
#include "valet/adapters/memory/memory_job_repository.hpp"
#include "valet/core/engine.hpp"
#include "valet/core/system_clock.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// The engine over memory adapters with real time: jobs in, outcomes out.
class EngineTest : public ::testing::Test {
 protected:
  void StartEngine(int workers) {
    EngineOptions options;
    options.workers = workers;
    options.executor.timeout_unit = milliseconds(1);
    options.job_queue_polling_interval = milliseconds(50);
    engine_ = std::make_unique<Engine>(options, repository_, queue_, tasks_, clock_, ids_, logger_);
    engine_->Start();
  }

  // Bounded wait for a terminal status; the bound only keeps a broken build from hanging.
  JobStatus WaitForEnd(const std::string& id) {
    for (int i = 0; i < 2000; ++i) {
      auto job = repository_.GetJob(id);
      if (job.ok() && IsTerminal(job->status)) return job->status;
      std::this_thread::sleep_for(milliseconds(5));
    }
    return repository_.GetJob(id)->status;
  }

  adapters::memory::MemoryJobRepository repository_;
  adapters::memory::MemoryJobQueue queue_{10000};
  TaskRegistry tasks_;
  SystemClock clock_;
  testing::SequentialIds ids_;
  testing::RecordingLogger logger_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineTest, RunsEverySubmittedJobOnce) {
  std::atomic<int> runs{0};
  tasks_
      .Register("count",
                [&](TaskContext&) {
                  ++runs;
                  return TaskResult();
                })
      .IgnoreError();
  StartEngine(4);
  std::vector<std::string> ids;
  for (int i = 0; i < 500; ++i) {
    auto job = engine_->jobs().Create({.name = "j", .task_name = "count"});
    ASSERT_TRUE(job.ok());
    ids.push_back(job->id);
  }
  for (const auto& id : ids) EXPECT_EQ(WaitForEnd(id), JobStatus::kCompleted);
  engine_->Stop(seconds(5));
  EXPECT_EQ(runs, 500);
}

TEST_F(EngineTest, AStuckTaskDoesNotShrinkThePool) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  tasks_
      .Register("ignore_stop",
                [released](TaskContext&) {
                  released.wait();  // deaf to stop requests
                  return TaskResult();
                })
      .IgnoreError();
  tasks_.Register("noop", [](TaskContext&) { return TaskResult(); }).IgnoreError();
  StartEngine(1);

  auto stuck = engine_->jobs().Create({.name = "s", .task_name = "ignore_stop", .timeout = 20});
  ASSERT_TRUE(stuck.ok());
  EXPECT_EQ(WaitForEnd(stuck->id), JobStatus::kFailed);
  // With one worker held by the stuck task, only a replacement can run this job.
  auto next = engine_->jobs().Create({.name = "n", .task_name = "noop"});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(WaitForEnd(next->id), JobStatus::kCompleted);

  release.set_value();
  engine_->Stop(seconds(5));
}

TEST_F(EngineTest, StopAsksRunningTasksToStopAfterTheGracePeriodAndHandsTheirJobsBack) {
  std::promise<void> started;
  tasks_
      .Register("wait_for_stop",
                [&](TaskContext& ctx) {
                  started.set_value();
                  while (!ctx.StopRequested()) std::this_thread::sleep_for(milliseconds(1));
                  return Cancelled("stopped");
                })
      .IgnoreError();
  StartEngine(1);
  auto job = engine_->jobs().Create({.name = "w", .task_name = "wait_for_stop"});
  ASSERT_TRUE(job.ok());
  started.get_future().wait();
  engine_->Stop(milliseconds(10));
  Job back = *repository_.GetJob(job->id);
  EXPECT_EQ(back.status, JobStatus::kPending);  // for another process or the next start
  EXPECT_TRUE(back.run_at.has_value());
  EXPECT_TRUE(back.attempts.is_null());
}

// Blocks tasks until released, and says when `count` of them are running.
class Gate {
 public:
  explicit Gate(int count) : count_(count) {}
  TaskResult Pass(TaskContext&) {
    if (++running_ == count_) all_running_.set_value();
    released_.wait();
    return TaskResult();
  }
  void WaitUntilAllRunning() { all_running_.get_future().wait(); }
  void Release() { release_.set_value(); }

 private:
  const int count_;
  std::atomic<int> running_{0};
  std::promise<void> all_running_;
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
};

TEST_F(EngineTest, JobsWaitingWhenWorkersAreFreeAreClaimedTogether) {
  Gate gate(4);
  tasks_.Register("gate", [&](TaskContext& ctx) { return gate.Pass(ctx); }).IgnoreError();
  EngineOptions options;
  options.workers = 4;
  options.job_queue_polling_interval = milliseconds(50);
  engine_ = std::make_unique<Engine>(options, repository_, queue_, tasks_, clock_, ids_, logger_);
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i)
    ids.push_back(engine_->jobs().Create({.name = "g", .task_name = "gate"})->id);
  engine_->Start();
  gate.WaitUntilAllRunning();
  // One claim took all four: they share its lease.
  auto running = repository_.ListJobs(JobStatus::kInProgress);
  ASSERT_EQ(running->size(), 4u);
  for (const Job& job : *running) EXPECT_EQ(job.lease_token, running->front().lease_token);
  gate.Release();
  for (const auto& id : ids) EXPECT_EQ(WaitForEnd(id), JobStatus::kCompleted);
  engine_->Stop(seconds(5));
}

TEST_F(EngineTest, LongJobsAreNotClaimedAheadOfAFreeWorker) {
  Gate gate(2);
  tasks_.Register("gate", [&](TaskContext& ctx) { return gate.Pass(ctx); }).IgnoreError();
  tasks_
      .Register("slow",
                [](TaskContext&) {
                  std::this_thread::sleep_for(milliseconds(30));
                  return TaskResult();
                })
      .IgnoreError();
  StartEngine(2);
  // Jobs far longer than a claim: the pool learns not to claim ahead.
  for (int i = 0; i < 4; ++i) {
    auto slow = engine_->jobs().Create({.name = "s", .task_name = "slow"});
    ASSERT_TRUE(slow.ok());
    EXPECT_EQ(WaitForEnd(slow->id), JobStatus::kCompleted);
  }
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(engine_->jobs().Create({.name = "g", .task_name = "gate"})->id);
  gate.WaitUntilAllRunning();
  // Two workers, two running; the other three stay PENDING, free for any other process.
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(repository_.ListJobs(JobStatus::kInProgress)->size(), 2u);
  EXPECT_EQ(repository_.ListJobs(JobStatus::kPending)->size(), 3u);
  gate.Release();
  for (const auto& id : ids) EXPECT_EQ(WaitForEnd(id), JobStatus::kCompleted);
  engine_->Stop(seconds(5));
}

}  // namespace
}  // namespace valet::core
