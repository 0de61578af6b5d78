// Retries, lease fencing, cancellation and hand-back as the executor and services do them, over
// the memory repository with a hand-driven clock.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "valet/adapters/memory/memory_job_repository.hpp"
#include "valet/core/job_executor.hpp"
#include "valet/core/job_service.hpp"
#include "valet/core/transition.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::core {
namespace {

using namespace std::chrono_literals;

class JobAttemptsTest : public ::testing::Test {
 protected:
  JobAttemptsTest() {
    executor_.SetRequeueHandler([this](TimePoint at) { requeued_at_.push_back(at); });
    tasks_.Register("fail", [](TaskContext&) { return Failure("flaky"); }).IgnoreError();
    tasks_.Register("broken", [](TaskContext&) { return PermanentFailure("bad input"); })
        .IgnoreError();
    tasks_
        .Register("attempt",
                  [](TaskContext& ctx) -> TaskResult {
                    if (ctx.Attempt() < 3) return Failure("not yet");
                    return Json{{"attempt", ctx.Attempt()}};
                  })
        .IgnoreError();
    tasks_
        .Register("wait",
                  [this](TaskContext& ctx) -> TaskResult {
                    started_.set_value();
                    release_.get_future().wait();
                    if (ctx.StopRequested()) return Cancelled("asked to stop");
                    return Json("finished");
                  })
        .IgnoreError();
  }

  Job Submit(const std::string& task, int max_retries) {
    auto job = jobs_.Create({.name = "j", .task_name = task, .max_retries = max_retries});
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    return *job;
  }

  Job Reload(const std::string& id) { return repository_.GetJob(id).value(); }
  void Run(const std::string& id) { executor_.Execute(Delivery{id, "r", 1}); }

  // Runs the "wait" task on a thread until it has started; Release() lets it return.
  std::thread RunWaiting(const std::string& id) {
    std::thread worker([this, id] { Run(id); });
    started_.get_future().wait();
    return worker;
  }
  void Release() { release_.set_value(); }

  // Makes the job's retry due, as the scheduler does, so it can run again.
  void MakeDue(const std::string& id) {
    clock_.Set(*Reload(id).run_at);
    ASSERT_EQ(repository_.ClaimDueJobs(clock_.Now(), 10)->size(), 1u);
  }

  static ExecutorOptions Options() {
    ExecutorOptions options;
    options.retry = RetryOptions{10s, 60s};
    return options;
  }

  adapters::memory::MemoryJobRepository repository_;
  testing::RecordingJobQueue queue_;
  testing::FakeClock clock_;
  testing::SequentialIds ids_;
  testing::RecordingLogger logger_;
  TaskRegistry tasks_;
  JobFactory factory_{tasks_, clock_, ids_};
  DeadlineTimer timer_;
  RunningJobs running_{repository_, clock_, logger_, 30s};
  JobExecutor executor_{repository_, tasks_, clock_, ids_, logger_, timer_, running_, Options()};
  ServiceOptions service_options_{24h, [this](const std::string& id) { running_.RequestStop(id); }};
  JobService jobs_{repository_, queue_, factory_, nullptr, service_options_};
  std::vector<TimePoint> requeued_at_;
  std::promise<void> started_;
  std::promise<void> release_;
};

TEST_F(JobAttemptsTest, AFailureWithRetriesLeftWaitsAndRunsAgainUntilTheyRunOut) {
  Job job = Submit("fail", 2);
  TimePoint failed_at = clock_.Now();
  Run(job.id);

  Job waiting = Reload(job.id);
  EXPECT_EQ(waiting.status, JobStatus::kPending);
  EXPECT_EQ(waiting.failure_reason, "flaky");
  EXPECT_EQ(waiting.attempt, 1);
  ASSERT_TRUE(waiting.run_at.has_value());
  EXPECT_GE(*waiting.run_at, failed_at + 5s);  // the first retry waits 5 to 10 s
  EXPECT_LE(*waiting.run_at, failed_at + 10s);
  EXPECT_EQ(requeued_at_, std::vector<TimePoint>{*waiting.run_at});
  ASSERT_EQ(waiting.attempts.size(), 1u);
  EXPECT_EQ(waiting.attempts[0]["attempt"], 1);
  EXPECT_EQ(waiting.attempts[0]["error"], "flaky");
  EXPECT_EQ(repository_.GetResult(job.id).status().code(), StatusCode::kNotFound);

  MakeDue(job.id);
  TimePoint second_failure = clock_.Now();
  Run(job.id);
  Job again = Reload(job.id);
  EXPECT_EQ(again.status, JobStatus::kPending);
  EXPECT_GE(*again.run_at, second_failure + 10s);  // the second waits 10 to 20 s
  EXPECT_EQ(again.attempts.size(), 2u);

  MakeDue(job.id);
  Run(job.id);
  Job failed = Reload(job.id);
  EXPECT_EQ(failed.status, JobStatus::kFailed);
  EXPECT_EQ(failed.attempt, 3);
  ASSERT_EQ(failed.attempts.size(), 3u);
  EXPECT_EQ(failed.attempts[2]["attempt"], 3);
  EXPECT_EQ(repository_.GetResult(job.id)->error, "flaky");
}

TEST_F(JobAttemptsTest, ATaskSeesItsAttemptAndSucceedsOnALaterOne) {
  Job job = Submit("attempt", 5);
  Run(job.id);
  MakeDue(job.id);
  Run(job.id);
  MakeDue(job.id);
  Run(job.id);
  Job done = Reload(job.id);
  EXPECT_EQ(done.status, JobStatus::kCompleted);
  EXPECT_EQ(done.attempts.size(), 2u);
  EXPECT_EQ(repository_.GetResult(job.id)->metadata, (Json{{"attempt", 3}}));
}

TEST_F(JobAttemptsTest, APermanentFailureIsNotRetried) {
  Job job = Submit("broken", 5);
  Run(job.id);
  Job failed = Reload(job.id);
  EXPECT_EQ(failed.status, JobStatus::kFailed);
  EXPECT_EQ(failed.failure_reason, "bad input");
  EXPECT_EQ(failed.attempts.size(), 1u);
  EXPECT_TRUE(requeued_at_.empty());
}

TEST_F(JobAttemptsTest, AWorkerWhoseLeaseWasTakenOverWritesNothing) {
  Job job = Submit("wait", 0);
  std::thread worker = RunWaiting(job.id);
  // Meanwhile the recovery gave the job to another worker, which started it under a new lease.
  Job held = Reload(job.id);
  Transition lost{JobStatus::kInProgress, JobStatus::kPending, clock_.Now(), {}, std::nullopt};
  lost.lease_token = held.lease_token;
  lost.run_at = clock_.Now();
  ASSERT_TRUE(repository_.TransitionJob(job.id, lost).ok());
  ASSERT_TRUE(repository_.StartJob(job.id, testing::LeaseAt(clock_.Now(), "newer")).ok());

  Release();
  worker.join();
  Job now = Reload(job.id);
  EXPECT_EQ(now.status, JobStatus::kInProgress);
  EXPECT_EQ(now.lease_token, "newer");
  EXPECT_EQ(repository_.GetResult(job.id).status().code(), StatusCode::kNotFound);
}

TEST_F(JobAttemptsTest, CancellingARunningJobEndsItCancelledAndStopsItsTask) {
  Job job = Submit("wait", 3);
  std::thread worker = RunWaiting(job.id);
  auto cancelled = jobs_.Cancel(job.id);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  EXPECT_EQ(cancelled->status, JobStatus::kCancelled);
  Release();
  worker.join();
  Job done = Reload(job.id);
  EXPECT_EQ(done.status, JobStatus::kCancelled);
  EXPECT_EQ(done.failure_reason, "cancelled by request");
  EXPECT_TRUE(requeued_at_.empty());  // the task's "asked to stop" is no failure to retry
}

TEST_F(JobAttemptsTest, CancellingAPendingJobMeansItNeverRuns) {
  Job job = Submit("fail", 0);
  ASSERT_TRUE(jobs_.Cancel(job.id).ok());
  Run(job.id);
  EXPECT_EQ(Reload(job.id).status, JobStatus::kCancelled);
  EXPECT_EQ(Reload(job.id).attempt, 0);
  EXPECT_EQ(jobs_.Cancel(job.id).status().code(), StatusCode::kConflict);
  EXPECT_EQ(jobs_.Cancel("00000000-0000-4000-8000-00000000ffff").status().code(),
            StatusCode::kNotFound);
}

TEST_F(JobAttemptsTest, ARenewalThatFindsTheJobCancelledElsewhereStopsTheTask) {
  Job job = Submit("wait", 0);
  std::thread worker = RunWaiting(job.id);
  // Another instance cancelled it: only the repository knows.
  ASSERT_TRUE(CancelJob(repository_, Reload(job.id), clock_.Now(), "cancelled elsewhere").ok());
  running_.RenewAll();
  Release();
  worker.join();
  EXPECT_EQ(Reload(job.id).status, JobStatus::kCancelled);
  EXPECT_EQ(Reload(job.id).failure_reason, "cancelled elsewhere");
}

TEST_F(JobAttemptsTest, RenewalsExtendTheLeaseOfRunningJobs) {
  Job job = Submit("wait", 0);
  std::thread worker = RunWaiting(job.id);
  clock_.Advance(20s);
  running_.RenewAll();
  EXPECT_EQ(Reload(job.id).lease_expires_at, clock_.Now() + 30s);
  Release();
  worker.join();
  EXPECT_EQ(Reload(job.id).status, JobStatus::kCompleted);
}

TEST_F(JobAttemptsTest, AtShutdownATaskThatStopsHandsItsJobBack) {
  Job job = Submit("wait", 0);
  std::thread worker = RunWaiting(job.id);
  executor_.HandBackAll();
  Release();
  worker.join();
  Job back = Reload(job.id);
  EXPECT_EQ(back.status, JobStatus::kPending);
  EXPECT_EQ(back.run_at, clock_.Now());
  EXPECT_TRUE(back.attempts.is_null());  // a hand-back is not held against the job
  EXPECT_EQ(back.lease_token, "");
}

TEST_F(JobAttemptsTest, AnIdempotentSubmitRepeatedReturnsTheFirstJob) {
  auto first = jobs_.Create({.name = "once", .task_name = "fail"}, "key-1");
  auto second = jobs_.Create({.name = "twice", .task_name = "fail"}, "key-1");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(second->name, "once");
  EXPECT_EQ(repository_.ListJobs(std::nullopt)->size(), 1u);
  auto other = jobs_.Create({.name = "other", .task_name = "fail"}, "key-2");
  EXPECT_NE(other->id, first->id);
}

TEST_F(JobAttemptsTest, RetriesOutOfRangeAreRefused) {
  auto refused = jobs_.Create({.name = "j", .task_name = "fail", .max_retries = 101});
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(), "max_retries must be from 0 to 100");
  EXPECT_EQ(jobs_.Create({.name = "j", .task_name = "fail", .max_retries = -1}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace valet::core
