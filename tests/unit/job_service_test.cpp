#include "valet/core/job_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "valet/core/job_query.hpp"
#include "valet/testing/fakes.hpp"
#include "valet/testing/mock_ports.hpp"

namespace valet::core {
namespace {

using ::testing::_;
using ::testing::Field;
using ::testing::Return;
using ::testing::StrictMock;

class JobServiceTest : public ::testing::Test {
 protected:
  JobServiceTest() {
    Status ok = tasks_.Register("noop", [](TaskContext&) { return TaskResult(); });
    ok = tasks_.Register("echo", [](TaskContext&) { return TaskResult(); });
    ok.IgnoreError();
  }

  JobService Service() {
    return JobService(repository_, queue_, factory_,
                      [this](TimePoint at) { scheduled_.push_back(at); });
  }

  StrictMock<testing::MockJobRepository> repository_;
  StrictMock<testing::MockJobQueue> queue_;
  testing::FakeClock clock_;
  testing::SequentialIds ids_;
  TaskRegistry tasks_;
  JobFactory factory_{tasks_, clock_, ids_};
  std::vector<TimePoint> scheduled_;
};

TEST_F(JobServiceTest, CreateStoresThenQueuesAPendingJob) {
  ::testing::InSequence in_order;
  EXPECT_CALL(repository_, CreateJob(Field(&Job::status, JobStatus::kPending)))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(queue_, Push("00000000-0000-4000-8000-000000000001")).WillOnce(Return(Status::Ok()));

  auto job = Service().Create({.name = "job", .task_name = "noop", .task_params = {{"a", 1}}});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->id, "00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(job->created_at, clock_.Now());
  EXPECT_EQ(job->task_params["a"], 1);
}

TEST_F(JobServiceTest, RefusedPushRemovesTheStoredJob) {
  EXPECT_CALL(repository_, CreateJob(_)).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(queue_, Push(_))
      .WillOnce(Return(Status::Unavailable("job queue is full - try again later")));
  EXPECT_CALL(repository_, DeleteJob("00000000-0000-4000-8000-000000000001"))
      .WillOnce(Return(Status::Ok()));

  auto job = Service().Create({.name = "job", .task_name = "noop"});
  EXPECT_EQ(job.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(job.status().message(), "job queue is full - try again later");
}

// Broker and repository down together (Redis for both): the stored job cannot be removed, so it
// is acknowledged and left to the recovery, which queues it once the broker is back.
TEST_F(JobServiceTest, AJobThatCannotBeUndoneIsAcknowledgedWithADurableQueue) {
  EXPECT_CALL(repository_, CreateJob(_)).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(queue_, Push(_)).WillOnce(Return(Status::Unavailable("redis is down")));
  EXPECT_CALL(repository_, DeleteJob(_)).WillOnce(Return(Status::Unavailable("redis is down")));
  EXPECT_CALL(queue_, IsDurable()).WillOnce(Return(true));

  auto job = Service().Create({.name = "job", .task_name = "noop"});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->status, JobStatus::kPending);
}

TEST_F(JobServiceTest, AJobThatCannotBeUndoneIsRefusedWithAQueueInMemory) {
  EXPECT_CALL(repository_, CreateJob(_)).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(queue_, Push(_)).WillOnce(Return(Status::Unavailable("full")));
  EXPECT_CALL(repository_, DeleteJob(_)).WillOnce(Return(Status::Unavailable("down")));
  EXPECT_CALL(queue_, IsDurable()).WillOnce(Return(false));

  EXPECT_EQ(Service().Create({.name = "job", .task_name = "noop"}).status().code(),
            StatusCode::kUnavailable);
}

TEST_F(JobServiceTest, ScheduledJobIsStoredNotQueuedAndWakesTheScheduler) {
  EXPECT_CALL(repository_, CreateJob(_)).WillOnce(Return(Status::Ok()));
  auto job = Service().Create(
      {.name = "later", .task_name = "noop", .run_at = "2030-01-01T00:00:00+01:00"});
  ASSERT_TRUE(job.ok());
  ASSERT_TRUE(job->run_at.has_value());
  ASSERT_EQ(scheduled_.size(), 1u);
  EXPECT_EQ(scheduled_[0], *job->run_at);
}

TEST_F(JobServiceTest, RunInSchedulesTheJobThatLongAfterNow) {
  EXPECT_CALL(repository_, CreateJob(_)).WillOnce(Return(Status::Ok()));
  auto job = Service().Create({.name = "later", .task_name = "noop", .run_in = "1h30m"});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  ASSERT_TRUE(job->run_at.has_value());
  EXPECT_EQ(*job->run_at, clock_.Now() + std::chrono::minutes{90});
  EXPECT_EQ(job->status, JobStatus::kPending);
  ASSERT_EQ(scheduled_.size(), 1u);
  EXPECT_EQ(scheduled_[0], *job->run_at);
}

TEST_F(JobServiceTest, RunInOfZeroQueuesTheJobAtOnce) {
  EXPECT_CALL(repository_, CreateJob(_)).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(queue_, Push(_)).WillOnce(Return(Status::Ok()));
  auto job = Service().Create({.name = "now", .task_name = "noop", .run_in = "0s"});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_FALSE(job->run_at.has_value());
  EXPECT_TRUE(scheduled_.empty());
}

TEST_F(JobServiceTest, RunInWithRunAtOrUnreadableIsRefusedAndTouchesNothing) {
  JobService service = Service();
  auto both = service.Create(
      {.name = "x", .task_name = "noop", .run_at = "2030-01-01T00:00:00Z", .run_in = "5m"});
  EXPECT_EQ(both.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(both.status().message(),
            "run_at and run_in cannot both be given: run_at is a time, run_in a delay from now");
  for (const char* bad : {"15", "-5s", "1d", "5 m", "1.5h", "99999999999999999h"}) {
    auto refused = service.Create({.name = "x", .task_name = "noop", .run_in = bad});
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(refused.status().message(),
              std::string("invalid run_in \"") + bad +
                  "\": expected a duration such as 90s, 15m or 1h30m (units ms, s, m and h)");
  }
  // Empty strings are "not given", as an empty run_at is.
  EXPECT_CALL(repository_, CreateJob(_)).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(queue_, Push(_)).WillOnce(Return(Status::Ok()));
  EXPECT_TRUE(service.Create({.name = "x", .task_name = "noop", .run_at = "", .run_in = ""}).ok());
}

TEST_F(JobServiceTest, ValidationErrorsUseValetsWordingAndTouchNothing) {
  JobService service = Service();
  EXPECT_EQ(service.Create({.task_name = "noop"}).status().message(), "name required");
  EXPECT_EQ(service.Create({.name = "x"}).status().message(), "task_name required");
  EXPECT_EQ(service.Create({}).status().message(), "name, task_name required");
  EXPECT_EQ(service.Create({.name = "x", .task_name = "nope"}).status().message(),
            "nope is not a valid task name - valid tasks: [echo noop]");
  EXPECT_EQ(service.Create({.name = "x", .task_name = "noop", .timeout = -1}).status().code(),
            StatusCode::kInvalidArgument);
  auto bad_time = service.Create({.name = "x", .task_name = "noop", .run_at = "2022-06-06T15:04"});
  EXPECT_EQ(bad_time.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_time.status().message().find("invalid run_at"), std::string::npos);
  auto bad_label = service.Create({.name = "x", .task_name = "noop", .labels = {{"a b", "v"}}});
  EXPECT_NE(bad_label.status().message().find("invalid label key \"a b\""), std::string::npos)
      << bad_label.status().ToString();
}

TEST_F(JobServiceTest, CreateStoresTheLabelsAsked) {
  EXPECT_CALL(repository_, CreateJob(Field(&Job::labels, Labels{{"customer", "acme"}})))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(queue_, Push(_)).WillOnce(Return(Status::Ok()));
  auto job = Service().Create({.name = "x", .task_name = "noop", .labels = {{"customer", "acme"}}});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->labels.at("customer"), "acme");
}

TEST_F(JobServiceTest, FindChecksTheQueryBeforeAskingTheRepository) {
  EXPECT_EQ(Service().Find({.limit = 5000}).status().message(), "limit must be from 1 to 1000");
  EXPECT_EQ(Service().Find({.cursor = "x"}).status().message(), "invalid cursor");
  EXPECT_CALL(repository_, FindJobs(Field(&JobQuery::task_name, "noop")))
      .WillOnce(Return(Result<JobPage>(JobPage{{}, "next"})));
  auto page = Service().Find({.task_name = "noop", .limit = 10});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->next_cursor, "next");
  std::string cursor = EncodeCursor({1, "2"});
  EXPECT_CALL(repository_, FindJobs(Field(&JobQuery::limit, kDefaultPageSize)))
      .WillOnce(Return(Result<JobPage>(JobPage{})));
  EXPECT_TRUE(Service().Find({.cursor = cursor}).ok()) << "a cursor alone pages by 100";
}

TEST_F(JobServiceTest, DeletingAPipelineJobIsAConflict) {
  Job job;
  job.id = "00000000-0000-4000-8000-0000000000aa";
  job.pipeline_id = "00000000-0000-4000-8000-0000000000bb";
  EXPECT_CALL(repository_, GetJob(job.id)).WillOnce(Return(Result<Job>(job)));
  Status deleted = Service().Delete(job.id);
  EXPECT_EQ(deleted.code(), StatusCode::kConflict);
  EXPECT_NE(deleted.message().find("belongs to a pipeline"), std::string::npos);
}

TEST_F(JobServiceTest, NotFoundUsesValetsMessage) {
  EXPECT_CALL(repository_, GetJob("x")).WillOnce(Return(Result<Job>(Status::NotFound("raw"))));
  EXPECT_EQ(Service().Get("x").status().message(), "job with ID: x not found");
}

TEST_F(JobServiceTest, CreateManyStoresAllInOneWriteAndQueuesThoseWithoutRunAt) {
  ::testing::InSequence in_order;
  EXPECT_CALL(repository_, CreateJobs(::testing::SizeIs(3))).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(queue_, PushBatch(std::vector<std::string>{"00000000-0000-4000-8000-000000000001",
                                                         "00000000-0000-4000-8000-000000000003"}))
      .WillOnce(Return(Status::Ok()));

  auto jobs = Service().CreateMany({{.name = "a", .task_name = "noop"},
                                    {.name = "b", .task_name = "noop", .run_in = "1m"},
                                    {.name = "c", .task_name = "echo"}});
  ASSERT_TRUE(jobs.ok()) << jobs.status().ToString();
  ASSERT_EQ(jobs->size(), 3u);
  EXPECT_EQ((*jobs)[1].name, "b");
  EXPECT_EQ((*jobs)[1].run_at, clock_.Now() + std::chrono::minutes{1});
  EXPECT_EQ(scheduled_, std::vector<TimePoint>{clock_.Now() + std::chrono::minutes{1}});
}

TEST_F(JobServiceTest, CreateManyNamesTheFirstBadRequestAndStoresNothing) {
  auto jobs = Service().CreateMany({{.name = "fine", .task_name = "noop"},
                                    {.name = "", .task_name = "noop"},
                                    {.name = "x", .task_name = "nope"}});
  EXPECT_EQ(jobs.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(jobs.status().message(), "jobs[1]: name required");
  EXPECT_EQ(Service().CreateMany({}).status().code(), StatusCode::kInvalidArgument);
  std::vector<JobRequest> too_many(JobService::kMaxBatchJobs + 1,
                                   {.name = "j", .task_name = "noop"});
  EXPECT_EQ(Service().CreateMany(too_many).status().message(),
            "a batch holds 1 to 1000 jobs, 1001 given");
}

TEST_F(JobServiceTest, CreateManyRemovesEveryJobWhenTheQueueRefusesThem) {
  EXPECT_CALL(repository_, CreateJobs(_)).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(queue_, PushBatch(_))
      .WillOnce(Return(Status::Unavailable("job queue is full - try again later")));
  EXPECT_CALL(repository_, DeleteJob("00000000-0000-4000-8000-000000000001"))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(repository_, DeleteJob("00000000-0000-4000-8000-000000000002"))
      .WillOnce(Return(Status::Ok()));

  auto jobs = Service().CreateMany(
      {{.name = "a", .task_name = "noop"}, {.name = "b", .task_name = "noop"}});
  EXPECT_EQ(jobs.status().code(), StatusCode::kUnavailable);
}

Job FinishedJob(JobStatus status) {
  Job job;
  job.id = "00000000-0000-4000-8000-0000000000aa";
  job.name = "report";
  job.description = "nightly";
  job.task_name = "echo";
  job.task_params = {{"day", 3}};
  job.timeout = 7;
  job.max_retries = 2;
  job.attempt = 3;
  job.labels = {{"customer", "acme"}};
  job.status = status;
  job.failure_reason = "boom";
  return job;
}

TEST_F(JobServiceTest, RetrySubmitsAFailedOrCancelledJobAgainAsANewPendingJob) {
  for (JobStatus status : {JobStatus::kFailed, JobStatus::kCancelled}) {
    Job old = FinishedJob(status);
    std::string new_id;
    EXPECT_CALL(repository_, GetJob(old.id)).WillOnce(Return(Result<Job>(old)));
    EXPECT_CALL(repository_, CreateJob(_)).WillOnce([&](const Job& job) {
      new_id = job.id;
      return Status::Ok();
    });
    EXPECT_CALL(queue_, Push(_)).WillOnce([&](const std::string& id) {
      EXPECT_EQ(id, new_id);
      return Status::Ok();
    });

    auto retried = Service().Retry(old.id);
    ASSERT_TRUE(retried.ok()) << retried.status().ToString();
    EXPECT_NE(retried->id, old.id);
    EXPECT_EQ(retried->id, new_id);
    EXPECT_EQ(retried->status, JobStatus::kPending);
    EXPECT_EQ(retried->name, "report");
    EXPECT_EQ(retried->description, "nightly");
    EXPECT_EQ(retried->task_name, "echo");
    EXPECT_EQ(retried->task_params["day"], 3);
    EXPECT_EQ(retried->timeout, 7);
    EXPECT_EQ(retried->max_retries, 2);
    EXPECT_EQ(retried->labels, (Labels{{"customer", "acme"}}));
    EXPECT_EQ(retried->attempt, 0);
    EXPECT_EQ(retried->failure_reason, "");
    EXPECT_FALSE(retried->run_at.has_value());
    ::testing::Mock::VerifyAndClearExpectations(&repository_);
  }
}

TEST_F(JobServiceTest, RetryOfAJobNotFinishedUnsuccessfullyIsAConflictAndSubmitsNothing) {
  for (JobStatus status : {JobStatus::kPending, JobStatus::kScheduled, JobStatus::kInProgress,
                           JobStatus::kCompleted}) {
    Job job = FinishedJob(status);
    EXPECT_CALL(repository_, GetJob(job.id)).WillOnce(Return(Result<Job>(job)));
    auto retried = Service().Retry(job.id);
    EXPECT_EQ(retried.status().code(), StatusCode::kConflict);
    EXPECT_EQ(retried.status().message(), "job with ID: " + job.id + " is " +
                                              std::string(JobStatusName(status)) +
                                              " - only a FAILED or CANCELLED job can be retried");
    ::testing::Mock::VerifyAndClearExpectations(&repository_);
  }
}

TEST_F(JobServiceTest, RetryOfAPipelineJobIsAConflict) {
  Job job = FinishedJob(JobStatus::kFailed);
  job.pipeline_id = "00000000-0000-4000-8000-0000000000bb";
  EXPECT_CALL(repository_, GetJob(job.id)).WillOnce(Return(Result<Job>(job)));
  auto retried = Service().Retry(job.id);
  EXPECT_EQ(retried.status().code(), StatusCode::kConflict);
  EXPECT_NE(retried.status().message().find("belongs to a pipeline"), std::string::npos);
}

TEST_F(JobServiceTest, RetryOfAJobWhoseTaskIsGoneIsRefusedAndSubmitsNothing) {
  Job job = FinishedJob(JobStatus::kFailed);
  job.task_name = "removed";
  EXPECT_CALL(repository_, GetJob(job.id)).WillOnce(Return(Result<Job>(job)));
  auto retried = Service().Retry(job.id);
  EXPECT_EQ(retried.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(retried.status().message(),
            "removed is not a valid task name - valid tasks: [echo noop]");
}

TEST_F(JobServiceTest, RetryOfAnUnknownJobUsesValetsMessage) {
  EXPECT_CALL(repository_, GetJob("x")).WillOnce(Return(Result<Job>(Status::NotFound("raw"))));
  EXPECT_EQ(Service().Retry("x").status().message(), "job with ID: x not found");
}

}  // namespace
}  // namespace valet::core
