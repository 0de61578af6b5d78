#include "valet/core/recovery.hpp"

#include <gtest/gtest.h>

#include "valet/adapters/memory/memory_job_repository.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::core {
namespace {

using namespace std::chrono_literals;

class RecoveryTest : public ::testing::Test {
 protected:
  Job Store(std::string name) {
    Job job;
    job.id = ids_.NewId();
    job.name = std::move(name);
    job.task_name = "noop";
    job.created_at = clock_.Now();
    EXPECT_TRUE(repository_.CreateJob(job).ok());
    return job;
  }

  Job StartedJob(std::string token, std::chrono::seconds lease = 30s) {
    Job job = Store("running");
    EXPECT_TRUE(
        repository_.StartJob(job.id, testing::LeaseAt(clock_.Now(), std::move(token), lease)).ok());
    return job;
  }

  Job Reload(const std::string& id) { return repository_.GetJob(id).value(); }

  adapters::memory::MemoryJobRepository repository_;
  testing::RecordingJobQueue queue_{/*durable=*/true};
  testing::FakeClock clock_;
  testing::SequentialIds ids_;
  testing::RecordingLogger logger_;
  std::vector<TimePoint> due_;
  Recovery recovery_{
      repository_, queue_, clock_, logger_, RecoveryOptions{30s, 5min, 3}, [this](TimePoint at) {
        due_.push_back(at);
      }};
};

TEST_F(RecoveryTest, AJobWhoseLeaseRanOutIsDueAgainWithTheLostAttemptKept) {
  Job lost = StartedJob("dead worker", 30s);
  Job alive = StartedJob("live worker", 60s);
  clock_.Advance(31s);

  EXPECT_EQ(recovery_.RecoverLostJobs(), 1);
  Job back = Reload(lost.id);
  EXPECT_EQ(back.status, JobStatus::kPending);
  EXPECT_EQ(back.run_at, clock_.Now());
  EXPECT_EQ(back.lease_token, "");
  ASSERT_EQ(back.attempts.size(), 1u);
  EXPECT_EQ(back.attempts[0]["lost"], true);
  EXPECT_EQ(back.attempts[0]["attempt"], 1);
  EXPECT_EQ(due_, std::vector<TimePoint>{clock_.Now()});
  EXPECT_EQ(Reload(alive.id).status, JobStatus::kInProgress);
  EXPECT_EQ(recovery_.RecoverLostJobs(), 0);
}

TEST_F(RecoveryTest, AJobLostTooOftenFails) {
  Job job = Store("crashes its process");
  for (int round = 1; round <= 3; ++round) {
    ASSERT_TRUE(repository_.ClaimStrandedJobs(clock_.Now() + 1s, clock_.Now(), 10).ok());
    ASSERT_TRUE(
        repository_
            .StartJob(job.id, testing::LeaseAt(clock_.Now(), "t" + std::to_string(round), 30s))
            .ok());
    clock_.Advance(31s);
    ASSERT_EQ(recovery_.RecoverLostJobs(), 1);
  }
  Job failed = Reload(job.id);
  EXPECT_EQ(failed.status, JobStatus::kFailed);
  EXPECT_EQ(failed.attempts.size(), 3u);
  EXPECT_NE(repository_.GetResult(job.id)->error.find("lease"), std::string::npos);
}

TEST_F(RecoveryTest, StrandedJobsAreQueuedAgainOnce) {
  Job stranded = Store("stored, never pushed");
  clock_.Advance(10min);
  Job fresh = Store("just stored");

  EXPECT_EQ(recovery_.RequeueStranded(clock_.Now() - 5min), 1);
  EXPECT_EQ(queue_.pushed, std::vector<std::string>{stranded.id});
  EXPECT_EQ(Reload(stranded.id).status, JobStatus::kScheduled);
  EXPECT_EQ(recovery_.RequeueStranded(clock_.Now() - 5min), 0);
  EXPECT_EQ(Reload(fresh.id).status, JobStatus::kPending);
}

TEST_F(RecoveryTest, AStrandedJobTheQueueRefusesIsPushedOnALaterPass) {
  Job stranded = Store("stranded");
  clock_.Advance(10min);
  queue_.full = true;
  EXPECT_EQ(recovery_.RequeueStranded(clock_.Now() - 5min), 0);
  queue_.full = false;
  EXPECT_EQ(recovery_.RequeueStranded(clock_.Now() - 5min), 1);
  EXPECT_EQ(queue_.pushed, std::vector<std::string>{stranded.id});
}

}  // namespace
}  // namespace valet::core
