// job.Job/Cancel and pipeline.Pipeline/Cancel, the twins of POST /api/{jobs,pipelines}/{id}/cancel.

#include <gtest/gtest.h>

#include "grpc_test.hpp"

namespace valet::e2e {
namespace {

// One worker, so that another job can complete after a 60 s sleep only if the sleep was stopped.
class GrpcCancelTest : public GrpcTest {
 protected:
  static void SetUpTestSuite() {
    ValetdConfig config = GrpcValetdConfig();
    config.workers = 1;
    StartServer(config);
  }

  ::grpc::Status CancelJob(const std::string& id, ::job::GetJobResponse* job) {
    ::job::CancelJobRequest request;
    request.set_id(id);
    return grpc().Call(&::job::Job::Stub::Cancel, grpc().jobs(), request, job);
  }

  ::grpc::Status CancelPipeline(const std::string& id, ::pipeline::GetPipelineResponse* pipeline) {
    ::pipeline::CancelPipelineRequest request;
    request.set_id(id);
    return grpc().Call(&::pipeline::Pipeline::Stub::Cancel, grpc().pipelines(), request, pipeline);
  }
};

TEST_F(GrpcCancelTest, ARunningJobIsCancelledAndItsTaskStops) {
  std::string id = CreateJob(JobRequest("long", "sleep", Json{{"ms", 60000}}));
  ASSERT_TRUE(WaitForJobStatus(id, kInProgress));

  ::job::GetJobResponse cancelled;
  ::grpc::Status status = CancelJob(id, &cancelled);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(cancelled.id(), id);
  EXPECT_EQ(cancelled.status(), kCancelled);
  EXPECT_EQ(cancelled.failure_reason(), "cancelled by request");
  // The only worker is free again.
  ::job::GetJobResponse next = WaitForJob(CreateJob(JobRequest("next", "noop")));
  EXPECT_EQ(next.status(), kCompleted);
  EXPECT_EQ(GetJob(id).status(), kCancelled);
}

TEST_F(GrpcCancelTest, AScheduledJobCancelledNeverRuns) {
  ::job::CreateJobRequest request = JobRequest("later", "noop");
  request.set_run_at(FormatRfc3339(NowUtc() + std::chrono::hours(1)));
  std::string id = CreateJob(request);
  ::job::GetJobResponse cancelled;
  ASSERT_TRUE(CancelJob(id, &cancelled).ok());
  EXPECT_EQ(cancelled.status(), kCancelled);
  EXPECT_FALSE(cancelled.has_started_at());
}

TEST_F(GrpcCancelTest, AFinishedJobIsAFailedPrecondition) {
  std::string id = CreateJob(JobRequest("done", "noop"));
  WaitForJob(id);
  ::job::GetJobResponse job;
  ::grpc::Status status = CancelJob(id, &job);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(), "job with ID: " + id + " is already COMPLETED");
}

TEST_F(GrpcCancelTest, APipelineCancelledStopsItsRunningJobAndCancelsTheRest) {
  ::pipeline::CreatePipelineRequest request;
  request.set_name("stoppable");
  *request.add_jobs() = JobRequest("long", "sleep", Json{{"ms", 60000}});
  *request.add_jobs() = JobRequest("after", "noop");
  ::pipeline::CreatePipelineResponse created;
  ASSERT_TRUE(
      grpc().Call(&::pipeline::Pipeline::Stub::Create, grpc().pipelines(), request, &created).ok());
  ASSERT_EQ(created.jobs_size(), 2);
  ASSERT_TRUE(WaitForJobStatus(created.jobs(0).id(), kInProgress));

  ::pipeline::GetPipelineResponse cancelled;
  ::grpc::Status status = CancelPipeline(created.id(), &cancelled);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(cancelled.status(), kCancelled);
  ASSERT_EQ(cancelled.jobs_size(), 2) << cancelled.ShortDebugString();
  for (const auto& job : cancelled.jobs()) EXPECT_EQ(job.status(), kCancelled);

  // A job of a pipeline is cancelled through its pipeline, which has now finished.
  ::job::GetJobResponse job;
  status = CancelJob(created.jobs(1).id(), &job);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(),
            "job with ID: " + created.jobs(1).id() +
                " can not be cancelled because it belongs to a pipeline - try to cancel the "
                "pipeline instead");
  status = CancelPipeline(created.id(), &cancelled);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(), "pipeline with ID: " + created.id() + " is already CANCELLED");
}

}  // namespace
}  // namespace valet::e2e
