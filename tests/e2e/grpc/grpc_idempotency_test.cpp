// The `idempotency-key` metadata on job.Job/Create and pipeline.Pipeline/Create.

#include <gtest/gtest.h>

#include "grpc_test.hpp"

namespace valet::e2e {
namespace {

class GrpcIdempotencyTest : public GrpcTest {
 protected:
  static std::string UniqueKey(const std::string& name) {
    return name + "-" + std::to_string(NowUtc().time_since_epoch().count());
  }
};

TEST_F(GrpcIdempotencyTest, ARepeatedJobCreateReturnsTheFirstJob) {
  std::string key = UniqueKey("job");
  ::job::CreateJobRequest request = JobRequest("once", "noop");
  ::job::CreateJobResponse first;
  ::job::CreateJobResponse repeat;
  ::job::CreateJobResponse other;
  ASSERT_TRUE(grpc().Call(&::job::Job::Stub::Create, grpc().jobs(), request, &first, key).ok());
  ASSERT_TRUE(grpc().Call(&::job::Job::Stub::Create, grpc().jobs(), request, &repeat, key).ok());
  ASSERT_TRUE(
      grpc().Call(&::job::Job::Stub::Create, grpc().jobs(), request, &other, key + "-2").ok());
  EXPECT_TRUE(IsUuid(first.id()));
  EXPECT_EQ(repeat.id(), first.id());
  EXPECT_NE(other.id(), first.id());
  // The key is the HTTP API's too.
  HttpReply http =
      client().Send(HttpRequestSpec{.method = "POST",
                                    .path = "/api/jobs",
                                    .body = Json{{"name", "once"}, {"task_name", "noop"}}.dump(),
                                    .headers = {{"Idempotency-Key", key}}});
  EXPECT_EQ(http.json().value("id", ""), first.id()) << http.body;
}

TEST_F(GrpcIdempotencyTest, ARepeatedPipelineCreateReturnsTheFirstPipeline) {
  std::string key = UniqueKey("pipeline");
  ::pipeline::CreatePipelineRequest request;
  request.set_name("p");
  *request.add_jobs() = JobRequest("a", "noop");
  *request.add_jobs() = JobRequest("b", "noop");
  ::pipeline::CreatePipelineResponse first;
  ::pipeline::CreatePipelineResponse repeat;
  ASSERT_TRUE(
      grpc()
          .Call(&::pipeline::Pipeline::Stub::Create, grpc().pipelines(), request, &first, key)
          .ok());
  ASSERT_TRUE(
      grpc()
          .Call(&::pipeline::Pipeline::Stub::Create, grpc().pipelines(), request, &repeat, key)
          .ok());
  EXPECT_EQ(repeat.id(), first.id());
  ASSERT_EQ(repeat.jobs_size(), 2);
  EXPECT_EQ(repeat.jobs(0).id(), first.jobs(0).id());
  EXPECT_EQ(repeat.jobs(1).id(), first.jobs(1).id());
}

TEST_F(GrpcIdempotencyTest, AKeyTooLongIsAnInvalidArgumentAndStoresNothing) {
  long before = CountJobs(client());
  ::job::CreateJobResponse response;
  ::grpc::Status status = grpc().Call(&::job::Job::Stub::Create, grpc().jobs(),
                                      JobRequest("x", "noop"), &response, std::string(256, 'k'));
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "Idempotency-Key must be 1 to 255 printable ASCII characters");

  ::pipeline::CreatePipelineRequest pipeline;
  pipeline.set_name("p");
  *pipeline.add_jobs() = JobRequest("a", "noop");
  *pipeline.add_jobs() = JobRequest("b", "noop");
  ::pipeline::CreatePipelineResponse created;
  status = grpc().Call(&::pipeline::Pipeline::Stub::Create, grpc().pipelines(), pipeline, &created,
                       std::string(256, 'k'));
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(CountJobs(client()), before);
}

}  // namespace
}  // namespace valet::e2e
