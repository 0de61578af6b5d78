// valet's gRPC error codes, with the messages the HTTP API gives for the same mistakes.

#include <gtest/gtest.h>

#include <limits>

#include "grpc_test.hpp"

namespace valet::e2e {
namespace {

using ::grpc::StatusCode;

class GrpcErrorsTest : public GrpcTest {
 protected:
  ::grpc::Status CreateJob(const ::job::CreateJobRequest& request) {
    ::job::CreateJobResponse response;
    return grpc().Call(&::job::Job::Stub::Create, grpc().jobs(), request, &response);
  }
  ::grpc::Status CreatePipeline(const ::pipeline::CreatePipelineRequest& request) {
    ::pipeline::CreatePipelineResponse response;
    return grpc().Call(&::pipeline::Pipeline::Stub::Create, grpc().pipelines(), request, &response);
  }
  long CountPipelines() {
    Json body = client().Get("/api/pipelines").json();
    return body.is_object() && body["pipelines"].is_array()
               ? static_cast<long>(body["pipelines"].size())
               : -1;
  }
};

struct InvalidJob {
  const char* what;
  ::job::CreateJobRequest grpc;
  Json http;
};

std::vector<InvalidJob> InvalidJobs() {
  std::vector<InvalidJob> cases;
  cases.push_back({"no name", JobRequest("", "noop"), Json{{"task_name", "noop"}}});
  cases.push_back({"nothing", JobRequest("", ""), Json::object()});
  cases.push_back(
      {"unknown task", JobRequest("x", "nope"), Json{{"name", "x"}, {"task_name", "nope"}}});
  ::job::CreateJobRequest run_at = JobRequest("x", "noop");
  run_at.set_run_at("2030-01-01T09:00:00");
  cases.push_back({"run_at without a zone", run_at,
                   Json{{"name", "x"}, {"task_name", "noop"}, {"run_at", "2030-01-01T09:00:00"}}});
  ::job::CreateJobRequest run_in = JobRequest("x", "noop");
  run_in.set_run_in("15 minutes");
  cases.push_back({"unreadable run_in", run_in,
                   Json{{"name", "x"}, {"task_name", "noop"}, {"run_in", "15 minutes"}}});
  ::job::CreateJobRequest both = run_in;
  both.set_run_in("15m");
  both.set_run_at("2030-01-01T09:00:00Z");
  cases.push_back({"run_at and run_in", both,
                   Json{{"name", "x"},
                        {"task_name", "noop"},
                        {"run_at", "2030-01-01T09:00:00Z"},
                        {"run_in", "15m"}}});
  ::job::CreateJobRequest timeout = JobRequest("x", "noop");
  timeout.set_timeout(-1);
  cases.push_back(
      {"negative timeout", timeout, Json{{"name", "x"}, {"task_name", "noop"}, {"timeout", -1}}});
  ::job::CreateJobRequest retries = JobRequest("x", "noop");
  retries.set_max_retries(101);
  cases.push_back({"too many retries", retries,
                   Json{{"name", "x"}, {"task_name", "noop"}, {"max_retries", 101}}});
  return cases;
}

TEST_F(GrpcErrorsTest, InvalidJobsAreInvalidArgumentsWordedAsOverHttpAndStoreNothing) {
  long before = CountJobs(client());
  for (const InvalidJob& invalid : InvalidJobs()) {
    ::grpc::Status status = CreateJob(invalid.grpc);
    std::string expected = ErrorMessage(client().Post("/api/jobs", invalid.http), 400);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << invalid.what;
    EXPECT_EQ(status.error_message(), expected) << invalid.what;
    EXPECT_FALSE(expected.empty()) << invalid.what;
  }
  EXPECT_EQ(CountJobs(client()), before);
}

TEST_F(GrpcErrorsTest, InvalidPipelinesAreInvalidArgumentsWordedAsOverHttpAndStoreNothing) {
  long jobs_before = CountJobs(client());
  long pipelines_before = CountPipelines();
  ::pipeline::CreatePipelineRequest one;
  one.set_name("p");
  *one.add_jobs() = JobRequest("a", "noop");
  ::pipeline::CreatePipelineRequest no_name;
  *no_name.add_jobs() = JobRequest("a", "noop");
  *no_name.add_jobs() = JobRequest("b", "noop");
  ::pipeline::CreatePipelineRequest bad_job = no_name;
  bad_job.set_name("p");
  bad_job.mutable_jobs(1)->set_task_name("nope");
  ::pipeline::CreatePipelineRequest bad_run_at = bad_job;
  bad_run_at.mutable_jobs(1)->set_task_name("noop");
  bad_run_at.set_run_at("tomorrow");
  ::pipeline::CreatePipelineRequest both_starts = bad_run_at;
  both_starts.set_run_at("2030-01-01T09:00:00Z");
  both_starts.set_run_in("90s");
  Json a{{"name", "a"}, {"task_name", "noop"}};
  Json b{{"name", "b"}, {"task_name", "noop"}};
  std::vector<std::pair<::pipeline::CreatePipelineRequest, Json>> cases{
      {one, Json{{"name", "p"}, {"jobs", Json::array({a})}}},
      {no_name, Json{{"jobs", Json::array({a, b})}}},
      {bad_job,
       Json{{"name", "p"}, {"jobs", Json::array({a, Json{{"name", "b"}, {"task_name", "nope"}}})}}},
      {bad_run_at, Json{{"name", "p"}, {"run_at", "tomorrow"}, {"jobs", Json::array({a, b})}}},
      {both_starts, Json{{"name", "p"},
                         {"run_at", "2030-01-01T09:00:00Z"},
                         {"run_in", "90s"},
                         {"jobs", Json::array({a, b})}}},
      {::pipeline::CreatePipelineRequest(), Json::object()}};
  for (const auto& [request, body] : cases) {
    ::grpc::Status status = CreatePipeline(request);
    std::string expected = ErrorMessage(client().Post("/api/pipelines", body), 400);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << body;
    EXPECT_EQ(status.error_message(), expected) << body;
  }
  EXPECT_EQ(CountJobs(client()), jobs_before);
  EXPECT_EQ(CountPipelines(), pipelines_before);
}

TEST_F(GrpcErrorsTest, TaskParamsThatJsonCannotHoldAreInvalidArguments) {
  long before = CountJobs(client());
  ::job::CreateJobRequest request = JobRequest("x", "noop");
  (*request.mutable_task_params()->mutable_fields())["ratio"].set_number_value(
      std::numeric_limits<double>::quiet_NaN());
  ::grpc::Status status = CreateJob(request);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "task_params.ratio must be a finite number");

  ::pipeline::CreatePipelineRequest pipeline;
  pipeline.set_name("p");
  *pipeline.add_jobs() = JobRequest("a", "noop");
  *pipeline.add_jobs() = request;
  status = CreatePipeline(pipeline);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "jobs[1].task_params.ratio must be a finite number");
  EXPECT_EQ(CountJobs(client()), before);
}

TEST_F(GrpcErrorsTest, AnUnknownStatusFilterIsAnInvalidArgument) {
  ::job::GetJobsRequest jobs;
  jobs.set_status("not_started");
  ::job::GetJobsResponse listed;
  ::grpc::Status status = grpc().Call(&::job::Job::Stub::GetJobs, grpc().jobs(), jobs, &listed);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            ErrorMessage(client().Get("/api/jobs?status=not_started"), 400));

  ::pipeline::GetPipelinesRequest pipelines;
  pipelines.set_status("soon");
  ::pipeline::GetPipelinesResponse none;
  status =
      grpc().Call(&::pipeline::Pipeline::Stub::GetPipelines, grpc().pipelines(), pipelines, &none);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "invalid status: \"SOON\"");
}

TEST_F(GrpcErrorsTest, UpdateWithAnEmptyNameIsAnInvalidArgument) {
  ::job::CreateJobRequest scheduled = JobRequest("named", "noop");
  scheduled.set_run_at(FormatRfc3339(NowUtc() + std::chrono::hours(1)));
  std::string id = GrpcTest::CreateJob(scheduled);
  ::job::UpdateJobRequest request;
  request.set_id(id);
  request.set_name("");
  ::job::UpdateJobResponse updated;
  ::grpc::Status status = grpc().Call(&::job::Job::Stub::Update, grpc().jobs(), request, &updated);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "name must not be empty");
  EXPECT_EQ(GetJob(id).name(), "named");
}

// Every call that names a record, with an id that is unknown or not a UUID at all.
TEST_F(GrpcErrorsTest, UnknownAndNonUuidIdsAreNotFound) {
  for (std::string id : {"00000000-0000-4000-8000-000000000000", "not-a-uuid", ""}) {
    std::string job = "job with ID: " + id + " not found";
    std::string pipeline = "pipeline with ID: " + id + " not found";
    std::string result = "job result with ID: " + id + " not found";
    auto expect = [&](const ::grpc::Status& status, const std::string& message, const char* call) {
      EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << call << " " << id;
      EXPECT_EQ(status.error_message(), message) << call << " " << id;
    };
    ::job::GetJobRequest get_job;
    get_job.set_id(id);
    ::job::GetJobResponse job_response;
    expect(grpc().Call(&::job::Job::Stub::Get, grpc().jobs(), get_job, &job_response), job,
           "Job/Get");
    ::job::UpdateJobRequest update_job;
    update_job.set_id(id);
    update_job.set_name("x");
    ::job::UpdateJobResponse updated;
    expect(grpc().Call(&::job::Job::Stub::Update, grpc().jobs(), update_job, &updated), job,
           "Job/Update");
    ::job::DeleteJobRequest delete_job;
    delete_job.set_id(id);
    ::job::DeleteJobResponse deleted;
    expect(grpc().Call(&::job::Job::Stub::Delete, grpc().jobs(), delete_job, &deleted), job,
           "Job/Delete");
    ::job::CancelJobRequest cancel_job;
    cancel_job.set_id(id);
    expect(grpc().Call(&::job::Job::Stub::Cancel, grpc().jobs(), cancel_job, &job_response), job,
           "Job/Cancel");

    ::pipeline::GetPipelineRequest get_pipeline;
    get_pipeline.set_id(id);
    ::pipeline::GetPipelineResponse pipeline_response;
    expect(grpc().Call(&::pipeline::Pipeline::Stub::Get, grpc().pipelines(), get_pipeline,
                       &pipeline_response),
           pipeline, "Pipeline/Get");
    ::pipeline::GetPipelineJobsRequest pipeline_jobs;
    pipeline_jobs.set_id(id);
    ::pipeline::GetPipelineJobsResponse jobs_response;
    expect(grpc().Call(&::pipeline::Pipeline::Stub::GetPipelineJobs, grpc().pipelines(),
                       pipeline_jobs, &jobs_response),
           pipeline, "Pipeline/GetPipelineJobs");
    ::pipeline::UpdatePipelineRequest update_pipeline;
    update_pipeline.set_id(id);
    ::pipeline::UpdatePipelineResponse pipeline_updated;
    expect(grpc().Call(&::pipeline::Pipeline::Stub::Update, grpc().pipelines(), update_pipeline,
                       &pipeline_updated),
           pipeline, "Pipeline/Update");
    ::pipeline::DeletePipelineRequest delete_pipeline;
    delete_pipeline.set_id(id);
    ::pipeline::DeletePipelineResponse pipeline_deleted;
    expect(grpc().Call(&::pipeline::Pipeline::Stub::Delete, grpc().pipelines(), delete_pipeline,
                       &pipeline_deleted),
           pipeline, "Pipeline/Delete");
    ::pipeline::CancelPipelineRequest cancel_pipeline;
    cancel_pipeline.set_id(id);
    expect(grpc().Call(&::pipeline::Pipeline::Stub::Cancel, grpc().pipelines(), cancel_pipeline,
                       &pipeline_response),
           pipeline, "Pipeline/Cancel");

    ::jobresult::GetJobResultRequest get_result;
    get_result.set_job_id(id);
    ::jobresult::GetJobResultResponse result_response;
    expect(grpc().Call(&::jobresult::JobResult::Stub::Get, grpc().results(), get_result,
                       &result_response),
           result, "JobResult/Get");
    ::jobresult::DeleteJobResultRequest delete_result;
    delete_result.set_job_id(id);
    ::jobresult::DeleteJobResultResponse result_deleted;
    expect(grpc().Call(&::jobresult::JobResult::Stub::Delete, grpc().results(), delete_result,
                       &result_deleted),
           result, "JobResult/Delete");
  }
}

TEST_F(GrpcErrorsTest, AResultIsNotFoundBeforeTheJobFinished) {
  ::job::CreateJobRequest scheduled = JobRequest("later", "noop");
  scheduled.set_run_at(FormatRfc3339(NowUtc() + std::chrono::hours(1)));
  std::string id = GrpcTest::CreateJob(scheduled);
  ::jobresult::GetJobResultRequest request;
  request.set_job_id(id);
  ::jobresult::GetJobResultResponse result;
  ::grpc::Status status =
      grpc().Call(&::jobresult::JobResult::Stub::Get, grpc().results(), request, &result);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "job result with ID: " + id + " not found");
}

TEST_F(GrpcErrorsTest, DeletingAJobOfAPipelineIsPermissionDenied) {
  ::pipeline::CreatePipelineRequest request;
  request.set_name("p");
  request.set_run_at(FormatRfc3339(NowUtc() + std::chrono::hours(1)));
  *request.add_jobs() = JobRequest("a", "noop");
  *request.add_jobs() = JobRequest("b", "noop");
  ::pipeline::CreatePipelineResponse created;
  ASSERT_TRUE(
      grpc().Call(&::pipeline::Pipeline::Stub::Create, grpc().pipelines(), request, &created).ok());
  ASSERT_EQ(created.jobs_size(), 2);
  std::string id = created.jobs(0).id();

  ::job::DeleteJobRequest remove;
  remove.set_id(id);
  ::job::DeleteJobResponse deleted;
  ::grpc::Status status = grpc().Call(&::job::Job::Stub::Delete, grpc().jobs(), remove, &deleted);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), ErrorMessage(client().Delete("/api/jobs/" + id), 409));
  EXPECT_EQ(GetJob(id).id(), id);
}

TEST_F(GrpcErrorsTest, ARequestOverMaxMessageBytesIsResourceExhausted) {
  long before = CountJobs(client());
  ::grpc::Status status = CreateJob(
      JobRequest("big", "noop", Json{{"blob", std::string(kGrpcMaxMessageBytes + 1, 'x')}}));
  EXPECT_EQ(status.error_code(), StatusCode::RESOURCE_EXHAUSTED) << Describe(status);
  EXPECT_EQ(CountJobs(client()), before);
  // Just under the limit is fine, and the server goes on serving.
  status = CreateJob(
      JobRequest("fits", "noop", Json{{"blob", std::string(kGrpcMaxMessageBytes - 1024, 'x')}}));
  EXPECT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(CountJobs(client()), before + 1);
}

}  // namespace
}  // namespace valet::e2e
