// pipeline.Pipeline over gRPC: each call's happy path, and results passed along.

#include <gtest/gtest.h>

#include "grpc_test.hpp"

namespace valet::e2e {
namespace {

class GrpcPipelinesTest : public GrpcTest {
 protected:
  ::grpc::Status Create(const ::pipeline::CreatePipelineRequest& request,
                        ::pipeline::CreatePipelineResponse* response) {
    return grpc().Call(&::pipeline::Pipeline::Stub::Create, grpc().pipelines(), request, response);
  }

  static ::pipeline::CreatePipelineRequest EtlRequest() {
    ::pipeline::CreatePipelineRequest request;
    request.set_name("etl");
    request.set_description("extract, then load");
    *request.add_jobs() = JobRequest("extract", "echo", Json{{"rows", 3}});
    ::job::CreateJobRequest load = JobRequest("load", "echo");
    load.set_use_previous_results(true);
    *request.add_jobs() = load;
    return request;
  }

  ::pipeline::GetPipelineResponse Get(const std::string& id) {
    ::pipeline::GetPipelineRequest request;
    request.set_id(id);
    ::pipeline::GetPipelineResponse response;
    ::grpc::Status status =
        grpc().Call(&::pipeline::Pipeline::Stub::Get, grpc().pipelines(), request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return response;
  }
};

TEST_F(GrpcPipelinesTest, TheSecondJobReceivesTheFirstJobsResult) {
  ::pipeline::CreatePipelineResponse created;
  ::grpc::Status status = Create(EtlRequest(), &created);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(IsUuid(created.id()));
  EXPECT_EQ(created.name(), "etl");
  EXPECT_EQ(created.status(), kPending);
  ASSERT_EQ(created.jobs_size(), 2);
  const auto& extract = created.jobs(0);
  const auto& load = created.jobs(1);
  EXPECT_EQ(extract.pipeline_id(), created.id());
  EXPECT_EQ(load.pipeline_id(), created.id());
  EXPECT_EQ(extract.next_job_id(), load.id());
  EXPECT_EQ(load.next_job_id(), "");
  EXPECT_FALSE(extract.use_previous_results());
  EXPECT_TRUE(load.use_previous_results());

  ::pipeline::GetPipelineResponse pipeline = WaitForPipeline(created.id());
  EXPECT_EQ(pipeline.status(), kCompleted) << pipeline.ShortDebugString();
  EXPECT_TRUE(pipeline.has_started_at());
  EXPECT_TRUE(pipeline.has_completed_at());
  EXPECT_EQ(pipeline.jobs_size(), 0);  // Get leaves the jobs out, as valet does

  ::jobresult::GetJobResultRequest request;
  request.set_job_id(load.id());
  ::jobresult::GetJobResultResponse result;
  status = grpc().Call(&::jobresult::JobResult::Stub::Get, grpc().results(), request, &result);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(ToJson(result.metadata()),
            (Json{{"params", nullptr}, {"previous", {{"params", {{"rows", 3}}}}}}));
}

TEST_F(GrpcPipelinesTest, ItsJobsAreListedInPipelineOrder) {
  ::pipeline::CreatePipelineResponse created;
  ASSERT_TRUE(Create(EtlRequest(), &created).ok());
  WaitForPipeline(created.id());

  ::pipeline::GetPipelineJobsRequest request;
  request.set_id(created.id());
  ::pipeline::GetPipelineJobsResponse jobs;
  ::grpc::Status status =
      grpc().Call(&::pipeline::Pipeline::Stub::GetPipelineJobs, grpc().pipelines(), request, &jobs);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(jobs.jobs_size(), 2);
  EXPECT_EQ(jobs.jobs(0).id(), created.jobs(0).id());
  EXPECT_EQ(jobs.jobs(1).id(), created.jobs(1).id());
  EXPECT_EQ(jobs.jobs(0).status(), kCompleted);
  EXPECT_EQ(jobs.jobs(1).status(), kCompleted);
  EXPECT_TRUE(jobs.jobs(1).use_previous_results());
}

TEST_F(GrpcPipelinesTest, GetPipelinesListsAndFiltersThem) {
  ::pipeline::CreatePipelineResponse created;
  ASSERT_TRUE(Create(EtlRequest(), &created).ok());
  WaitForPipeline(created.id());

  ::pipeline::GetPipelinesRequest request;
  request.set_status("COMPLETED");
  ::pipeline::GetPipelinesResponse listed;
  ::grpc::Status status =
      grpc().Call(&::pipeline::Pipeline::Stub::GetPipelines, grpc().pipelines(), request, &listed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  bool found = false;
  for (const auto& pipeline : listed.pipelines()) {
    EXPECT_EQ(pipeline.status(), kCompleted);
    EXPECT_EQ(pipeline.jobs_size(), 0);
    found |= pipeline.id() == created.id();
  }
  EXPECT_TRUE(found);

  request.set_status("pending");
  ASSERT_TRUE(
      grpc()
          .Call(&::pipeline::Pipeline::Stub::GetPipelines, grpc().pipelines(), request, &listed)
          .ok());
}

TEST_F(GrpcPipelinesTest, AScheduledPipelineCarriesItsRunAt) {
  ::pipeline::CreatePipelineRequest request = EtlRequest();
  UtcTime run_at = NowUtc() + std::chrono::hours(1);
  request.set_run_at(FormatRfc3339(run_at));
  ::pipeline::CreatePipelineResponse created;
  ASSERT_TRUE(Create(request, &created).ok());
  std::int64_t micros = run_at.time_since_epoch().count();
  EXPECT_EQ(created.run_at().seconds(), micros / 1'000'000);
  ASSERT_EQ(created.jobs_size(), 2);
  EXPECT_TRUE(created.jobs(0).has_run_at());
  EXPECT_FALSE(created.jobs(1).has_run_at());
  EXPECT_EQ(Get(created.id()).status(), kPending);
}

TEST_F(GrpcPipelinesTest, RunInDelaysItsFirstJob) {
  ::pipeline::CreatePipelineRequest request = EtlRequest();
  request.set_run_in("2h");
  std::int64_t before = NowUtc().time_since_epoch().count() / 1'000'000;
  ::pipeline::CreatePipelineResponse created;
  ASSERT_TRUE(Create(request, &created).ok());
  EXPECT_GE(created.run_at().seconds(), before + 7200);
  EXPECT_LE(created.run_at().seconds(), NowUtc().time_since_epoch().count() / 1'000'000 + 7200);
  ASSERT_EQ(created.jobs_size(), 2);
  EXPECT_TRUE(created.jobs(0).has_run_at());
  EXPECT_FALSE(created.jobs(1).has_run_at());
}

TEST_F(GrpcPipelinesTest, UpdateWritesOnlyTheFieldsThatAreSet) {
  ::pipeline::CreatePipelineResponse created;
  ASSERT_TRUE(Create(EtlRequest(), &created).ok());
  ::pipeline::UpdatePipelineRequest request;
  request.set_id(created.id());
  request.set_name("renamed");
  ::pipeline::UpdatePipelineResponse updated;
  ::grpc::Status status =
      grpc().Call(&::pipeline::Pipeline::Stub::Update, grpc().pipelines(), request, &updated);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ::pipeline::GetPipelineResponse pipeline = Get(created.id());
  EXPECT_EQ(pipeline.name(), "renamed");
  EXPECT_EQ(pipeline.description(), "extract, then load");
}

TEST_F(GrpcPipelinesTest, DeleteRemovesThePipelineItsJobsAndResults) {
  ::pipeline::CreatePipelineResponse created;
  ASSERT_TRUE(Create(EtlRequest(), &created).ok());
  WaitForPipeline(created.id());
  ::pipeline::DeletePipelineRequest request;
  request.set_id(created.id());
  ::pipeline::DeletePipelineResponse deleted;
  ::grpc::Status status =
      grpc().Call(&::pipeline::Pipeline::Stub::Delete, grpc().pipelines(), request, &deleted);
  ASSERT_TRUE(status.ok()) << Describe(status);

  ::pipeline::GetPipelineRequest get;
  get.set_id(created.id());
  ::pipeline::GetPipelineResponse pipeline;
  status = grpc().Call(&::pipeline::Pipeline::Stub::Get, grpc().pipelines(), get, &pipeline);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "pipeline with ID: " + created.id() + " not found");
  for (const auto& job : created.jobs()) {
    ::job::GetJobRequest job_request;
    job_request.set_id(job.id());
    ::job::GetJobResponse gone;
    EXPECT_EQ(grpc().Call(&::job::Job::Stub::Get, grpc().jobs(), job_request, &gone).error_code(),
              ::grpc::StatusCode::NOT_FOUND);
    ::jobresult::GetJobResultRequest result_request;
    result_request.set_job_id(job.id());
    ::jobresult::GetJobResultResponse result;
    EXPECT_EQ(
        grpc()
            .Call(&::jobresult::JobResult::Stub::Get, grpc().results(), result_request, &result)
            .error_code(),
        ::grpc::StatusCode::NOT_FOUND);
  }
}

}  // namespace
}  // namespace valet::e2e
