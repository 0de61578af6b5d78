#include "valet/core/scheduler.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "valet/adapters/memory/memory_job_queue.hpp"
#include "valet/adapters/memory/memory_job_repository.hpp"
#include "valet/core/system_clock.hpp"
#include "valet/testing/fakes.hpp"
#include "valet/testing/mock_ports.hpp"

namespace valet::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::_;
using ::testing::Return;

class SchedulerTest : public ::testing::Test {
 protected:
  std::string StoreScheduled(TimePoint run_at) {
    Job job;
    job.id = ids_.NewId();
    job.name = "scheduled";
    job.task_name = "noop";
    job.run_at = run_at;
    job.created_at = clock_.Now();
    EXPECT_TRUE(repository_.CreateJob(job).ok());
    return job.id;
  }

  adapters::memory::MemoryJobRepository repository_;
  testing::FakeClock clock_;
  testing::SequentialIds ids_;
  testing::RecordingLogger logger_;
};

TEST_F(SchedulerTest, QueuesOnlyDueJobsAndReportsTheNextDueTime) {
  adapters::memory::MemoryJobQueue queue(100);
  Scheduler scheduler(repository_, queue, clock_, logger_, seconds(60));
  std::string due = StoreScheduled(clock_.Now() - seconds(1));
  std::string now = StoreScheduled(clock_.Now());
  TimePoint later_time = clock_.Now() + seconds(30);
  std::string later = StoreScheduled(later_time);

  EXPECT_EQ(scheduler.DispatchDueJobs(), later_time);
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(repository_.GetJob(due)->status, JobStatus::kScheduled);
  EXPECT_EQ(repository_.GetJob(due)->scheduled_at, clock_.Now());
  EXPECT_EQ(repository_.GetJob(now)->status, JobStatus::kScheduled);
  EXPECT_EQ(repository_.GetJob(later)->status, JobStatus::kPending);

  clock_.Advance(seconds(30));
  EXPECT_EQ(scheduler.DispatchDueJobs(), std::nullopt);
  EXPECT_EQ(queue.size(), 3u);
}

TEST_F(SchedulerTest, KeepsClaimedJobsTheQueueRefusedAndPushesThemLater) {
  testing::MockJobQueue queue;
  Scheduler scheduler(repository_, queue, clock_, logger_, seconds(60));
  std::string id = StoreScheduled(clock_.Now());

  EXPECT_CALL(queue, Push(id)).WillOnce(Return(Status::Unavailable("full")));
  scheduler.DispatchDueJobs();
  EXPECT_EQ(repository_.GetJob(id)->status, JobStatus::kScheduled);

  EXPECT_CALL(queue, Push(id)).WillOnce(Return(Status::Ok()));
  scheduler.DispatchDueJobs();
  ::testing::Mock::VerifyAndClearExpectations(&queue);

  EXPECT_CALL(queue, Push(_)).Times(0);
  scheduler.DispatchDueJobs();
}

TEST_F(SchedulerTest, RunningSchedulerWakesForAnEarlierJobWhenNotified) {
  // Real time here: the scheduler sleeps on the polling interval (an hour) unless notified.
  SystemClock clock;
  adapters::memory::MemoryJobQueue queue(100);
  Scheduler scheduler(repository_, queue, clock, logger_, std::chrono::hours(1));
  scheduler.Start();
  std::this_thread::sleep_for(milliseconds(20));  // let it go to sleep

  Job job;
  job.id = ids_.NewId();
  job.name = "soon";
  job.task_name = "noop";
  job.run_at = clock.Now() + milliseconds(30);
  job.created_at = clock.Now();
  ASSERT_TRUE(repository_.CreateJob(job).ok());
  scheduler.Notify(*job.run_at);

  auto received = queue.Receive(std::chrono::seconds(10));
  scheduler.Stop();
  ASSERT_TRUE(received.ok());
  ASSERT_TRUE(received->has_value());
  EXPECT_EQ((*received)->job_id, job.id);
  EXPECT_GE(*repository_.GetJob(job.id)->scheduled_at, *job.run_at);
}

}  // namespace
}  // namespace valet::core
