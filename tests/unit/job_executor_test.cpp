#include "valet/core/job_executor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "job_executor_fixture.hpp"
#include "valet/core/pipeline_service.hpp"

namespace valet::core {
namespace {

using std::chrono::milliseconds;

TEST_F(JobExecutorTest, CompletesAJobAndStoresItsResult) {
  Job job = StoreJob("echo", Json{{"a", 1}});
  auto outcome = Run(job.id);
  EXPECT_EQ(outcome.disposition, JobExecutor::Disposition::kAck);
  EXPECT_FALSE(outcome.worker_abandoned);

  Job done = Reload(job.id);
  EXPECT_EQ(done.status, JobStatus::kCompleted);
  EXPECT_TRUE(done.started_at.has_value());
  EXPECT_TRUE(done.completed_at.has_value());
  auto result = repository_.GetResult(job.id);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->metadata, (Json{{"params", {{"a", 1}}}}));
  EXPECT_TRUE(result->error.empty());
}

TEST_F(JobExecutorTest, FailureKeepsReasonAndMetadata) {
  Job job = StoreJob("fail");
  Run(job.id);
  Job done = Reload(job.id);
  EXPECT_EQ(done.status, JobStatus::kFailed);
  EXPECT_EQ(done.failure_reason, "it broke");
  EXPECT_EQ(repository_.GetResult(job.id)->error, "it broke");
  EXPECT_EQ(repository_.GetResult(job.id)->metadata["partial"], true);
}

TEST_F(JobExecutorTest, ExceptionFailsTheJobWithItsMessage) {
  Job job = StoreJob("throw");
  Run(job.id);
  EXPECT_EQ(Reload(job.id).status, JobStatus::kFailed);
  EXPECT_EQ(Reload(job.id).failure_reason, "boom");
}

TEST_F(JobExecutorTest, UndecodableParamsFailWithAClearReasonAndNoRetry) {
  Job job = StoreJob("typed", Json{{"not", "an int"}});
  job.max_retries = 3;
  ASSERT_TRUE(repository_.DeleteJob(job.id).ok());
  ASSERT_TRUE(repository_.CreateJob(job).ok());
  Run(job.id);
  EXPECT_EQ(Reload(job.id).status, JobStatus::kFailed);
  EXPECT_NE(Reload(job.id).failure_reason.find("invalid task_params"), std::string::npos);
}

TEST_F(JobExecutorTest, UnregisteredTaskFails) {
  Job job = StoreJob("echo");
  Job ghost = job;
  ghost.id = ids_.NewId();
  ghost.task_name = "gone";
  ASSERT_TRUE(repository_.CreateJob(ghost).ok());
  Run(ghost.id);
  EXPECT_EQ(Reload(ghost.id).status, JobStatus::kFailed);
  EXPECT_NE(Reload(ghost.id).failure_reason.find("not registered"), std::string::npos);
}

TEST_F(JobExecutorTest, DuplicateDeliveryOfAFinishedJobRunsNothing) {
  std::atomic<int> calls{0};
  Register("count", [&](TaskContext&) {
    ++calls;
    return TaskResult();
  });
  Job job = StoreJob("count");
  Run(job.id);
  Run(job.id);
  EXPECT_EQ(calls, 1);
}

// A job left IN_PROGRESS by a lost run is the recovery's to requeue once its lease runs out; a
// redelivery of it (the broker gives back what a dead consumer held) runs nothing meanwhile.
TEST_F(JobExecutorTest, RedeliveryOfAJobInProgressRunsNothing) {
  std::atomic<int> calls{0};
  Register("count", [&](TaskContext&) {
    ++calls;
    return TaskResult();
  });
  Job job = StoreJob("count");
  ASSERT_TRUE(repository_.StartJob(job.id, testing::LeaseAt(clock_.Now())).ok());  // the lost run

  auto outcome = executor_.Execute(Delivery{job.id, "r2", 2});
  EXPECT_EQ(outcome.disposition, JobExecutor::Disposition::kAck);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(Reload(job.id).status, JobStatus::kInProgress);
}

TEST_F(JobExecutorTest, FirstDeliveryOfAJobInProgressRunsNothing) {
  std::atomic<int> calls{0};
  Register("count", [&](TaskContext&) {
    ++calls;
    return TaskResult();
  });
  Job job = StoreJob("count");
  ASSERT_TRUE(
      repository_.StartJob(job.id, testing::LeaseAt(clock_.Now())).ok());  // another worker has it
  Run(job.id);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(Reload(job.id).status, JobStatus::kInProgress);
}

TEST_F(JobExecutorTest, RedeliveryOfAFinishedJobRunsNothing) {
  std::atomic<int> calls{0};
  Register("count", [&](TaskContext&) {
    ++calls;
    return TaskResult();
  });
  Job job = StoreJob("count");
  Run(job.id);
  executor_.Execute(Delivery{job.id, "r2", 2});
  EXPECT_EQ(calls, 1);
}

TEST_F(JobExecutorTest, DeletedJobIsAckedWithoutRunning) {
  EXPECT_EQ(Run("00000000-0000-4000-8000-00000000ffff").disposition,
            JobExecutor::Disposition::kAck);
}

TEST_F(JobExecutorTest, TimeoutFailsTheJobAsksTheTaskToStopAndReplacesTheWorker) {
  std::promise<void> stop_seen;
  Register("stubborn", [&](TaskContext& ctx) {
    while (!ctx.StopRequested()) std::this_thread::sleep_for(milliseconds(1));
    stop_seen.set_value();
    return TaskResult("finished anyway");
  });
  Job job = StoreJob("stubborn", nullptr, /*timeout=*/20);
  auto outcome = Run(job.id);

  EXPECT_EQ(stop_seen.get_future().wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_TRUE(outcome.worker_abandoned);
  EXPECT_EQ(abandoned_, 1);
  Job done = Reload(job.id);
  EXPECT_EQ(done.status, JobStatus::kFailed);  // the late "finished anyway" does not overwrite it
  EXPECT_EQ(done.failure_reason, "job timed out after 20ms");
  EXPECT_EQ(repository_.GetResult(job.id)->error, "job timed out after 20ms");
}

class PipelineExecutionTest : public JobExecutorTest {
 protected:
  PipelineWithJobs CreatePipeline(std::vector<JobRequest> jobs) {
    auto created = pipelines_.Create({.name = "p", .jobs = std::move(jobs)});
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return *created;
  }

  testing::RecordingJobQueue queue_;
  JobFactory factory_{tasks_, clock_, ids_};
  PipelineService pipelines_{repository_, queue_, factory_, nullptr};
};

TEST_F(PipelineExecutionTest, RunsJobsInOrderPassingResultsWhenAsked) {
  auto created = CreatePipeline({{.name = "a", .task_name = "echo", .task_params = {{"n", 1}}},
                                 {.name = "b", .task_name = "echo", .use_previous_results = true},
                                 {.name = "c", .task_name = "echo"}});
  ASSERT_EQ(queue_.pushed, std::vector<std::string>{created.jobs[0].id});
  Run(created.jobs[0].id);

  for (const Job& job : created.jobs) EXPECT_EQ(Reload(job.id).status, JobStatus::kCompleted);
  EXPECT_EQ(repository_.GetPipeline(created.pipeline.id)->status, JobStatus::kCompleted);
  Json second = repository_.GetResult(created.jobs[1].id)->metadata;
  EXPECT_EQ(second["previous"], (Json{{"params", {{"n", 1}}}}));
  EXPECT_FALSE(repository_.GetResult(created.jobs[2].id)->metadata.contains("previous"));
}

TEST_F(PipelineExecutionTest, AFailureFailsThePipelineAndCancelsTheRest) {
  auto created = CreatePipeline({{.name = "a", .task_name = "echo"},
                                 {.name = "b", .task_name = "fail"},
                                 {.name = "c", .task_name = "echo"},
                                 {.name = "d", .task_name = "echo"}});
  Run(created.jobs[0].id);

  EXPECT_EQ(Reload(created.jobs[0].id).status, JobStatus::kCompleted);
  EXPECT_EQ(Reload(created.jobs[1].id).status, JobStatus::kFailed);
  for (int i : {2, 3}) {
    Job skipped = Reload(created.jobs[i].id);
    EXPECT_EQ(skipped.status, JobStatus::kCancelled);
    EXPECT_NE(skipped.failure_reason.find(created.jobs[1].id), std::string::npos);
  }
  EXPECT_EQ(repository_.GetPipeline(created.pipeline.id)->status, JobStatus::kFailed);
}

}  // namespace
}  // namespace valet::core
