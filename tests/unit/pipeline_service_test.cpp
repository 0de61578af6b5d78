#include "valet/core/pipeline_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "valet/testing/fakes.hpp"
#include "valet/testing/mock_ports.hpp"

namespace valet::core {
namespace {

using ::testing::_;
using ::testing::DoAll;
using ::testing::Return;
using ::testing::SaveArg;
using ::testing::StrictMock;

class PipelineServiceTest : public ::testing::Test {
 protected:
  PipelineServiceTest() {
    tasks_.Register("noop", [](TaskContext&) { return TaskResult(); }).IgnoreError();
  }

  PipelineService Service() {
    return PipelineService(repository_, queue_, factory_,
                           [this](TimePoint at) { scheduled_.push_back(at); });
  }

  static JobRequest NoopJob(std::string name) {
    return {.name = std::move(name), .task_name = "noop"};
  }

  StrictMock<testing::MockJobRepository> repository_;
  StrictMock<testing::MockJobQueue> queue_;
  testing::FakeClock clock_;
  testing::SequentialIds ids_;
  TaskRegistry tasks_;
  JobFactory factory_{tasks_, clock_, ids_};
  std::vector<TimePoint> scheduled_;
};

TEST_F(PipelineServiceTest, LinksJobsAndQueuesOnlyTheFirst) {
  Pipeline stored;
  std::vector<Job> stored_jobs;
  EXPECT_CALL(repository_, CreatePipeline(_, _))
      .WillOnce(DoAll(SaveArg<0>(&stored), SaveArg<1>(&stored_jobs), Return(Status::Ok())));
  EXPECT_CALL(queue_, Push("00000000-0000-4000-8000-000000000001")).WillOnce(Return(Status::Ok()));

  PipelineRequest request{.name = "p", .jobs = {NoopJob("a"), NoopJob("b"), NoopJob("c")}};
  request.jobs[2].use_previous_results = true;
  auto created = Service().Create(request);
  ASSERT_TRUE(created.ok()) << created.status().ToString();

  ASSERT_EQ(stored_jobs.size(), 3u);
  EXPECT_EQ(stored.job_ids,
            (std::vector<std::string>{stored_jobs[0].id, stored_jobs[1].id, stored_jobs[2].id}));
  for (const Job& job : stored_jobs) EXPECT_EQ(job.pipeline_id, stored.id);
  EXPECT_EQ(stored_jobs[0].next_job_id, stored_jobs[1].id);
  EXPECT_EQ(stored_jobs[1].previous_job_id, stored_jobs[0].id);
  EXPECT_EQ(stored_jobs[1].next_job_id, stored_jobs[2].id);
  EXPECT_TRUE(stored_jobs[2].next_job_id.empty());
  EXPECT_TRUE(stored_jobs[2].use_previous_results);
  EXPECT_EQ(created->pipeline.status, JobStatus::kPending);
}

TEST_F(PipelineServiceTest, RefusedPushRemovesThePipeline) {
  EXPECT_CALL(repository_, CreatePipeline(_, _)).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(queue_, Push(_)).WillOnce(Return(Status::Unavailable("full")));
  EXPECT_CALL(repository_, DeletePipeline(_)).WillOnce(Return(Status::Ok()));
  auto created = Service().Create({.name = "p", .jobs = {NoopJob("a"), NoopJob("b")}});
  EXPECT_EQ(created.status().code(), StatusCode::kUnavailable);
}

TEST_F(PipelineServiceTest, ScheduledPipelinePutsRunAtOnTheFirstJobOnly) {
  std::vector<Job> stored_jobs;
  EXPECT_CALL(repository_, CreatePipeline(_, _))
      .WillOnce(DoAll(SaveArg<1>(&stored_jobs), Return(Status::Ok())));
  auto created = Service().Create(
      {.name = "p", .run_at = "2030-01-01T00:00:00Z", .jobs = {NoopJob("a"), NoopJob("b")}});
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(stored_jobs[0].run_at.has_value());
  EXPECT_FALSE(stored_jobs[1].run_at.has_value());
  EXPECT_EQ(created->pipeline.run_at, stored_jobs[0].run_at);
  EXPECT_EQ(scheduled_.size(), 1u);
}

TEST_F(PipelineServiceTest, RunInSchedulesTheFirstJobAndIgnoresTheJobsOwn) {
  std::vector<Job> stored_jobs;
  EXPECT_CALL(repository_, CreatePipeline(_, _))
      .WillOnce(DoAll(SaveArg<1>(&stored_jobs), Return(Status::Ok())));
  JobRequest second = NoopJob("b");
  second.run_in = "5m";
  auto created = Service().Create({.name = "p", .run_in = "90s", .jobs = {NoopJob("a"), second}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  ASSERT_TRUE(stored_jobs[0].run_at.has_value());
  EXPECT_EQ(*stored_jobs[0].run_at, clock_.Now() + std::chrono::seconds{90});
  EXPECT_FALSE(stored_jobs[1].run_at.has_value());
  EXPECT_EQ(created->pipeline.run_at, stored_jobs[0].run_at);
  EXPECT_EQ(scheduled_.size(), 1u);
}

TEST_F(PipelineServiceTest, RunInWithRunAtIsRefused) {
  auto refused = Service().Create({.name = "p",
                                   .run_at = "2030-01-01T00:00:00Z",
                                   .run_in = "90s",
                                   .jobs = {NoopJob("a"), NoopJob("b")}});
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("run_at and run_in cannot both be given"),
            std::string::npos);
}

TEST_F(PipelineServiceTest, ChecksJobsBeforeThePipeline) {
  PipelineService service = Service();
  EXPECT_EQ(service.Create({.jobs = {NoopJob("a"), {.name = "b"}}}).status().message(),
            "task_name required");
  EXPECT_EQ(service.Create({.jobs = {NoopJob("a"), NoopJob("b")}}).status().message(),
            "name required");
  EXPECT_EQ(service.Create({}).status().message(), "name, jobs required");
  EXPECT_EQ(service.Create({.name = "p", .jobs = {NoopJob("a")}}).status().message(),
            "pipeline should have at least 2 jobs, 1 given");
}

}  // namespace
}  // namespace valet::core
