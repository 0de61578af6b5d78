// API tokens over gRPC, as the `authorization` metadata: the twin of the HTTP API's bearer
// tokens.

#include <gtest/gtest.h>

#include <cstdlib>

#include "grpc_test.hpp"

namespace valet::e2e {
namespace {

const std::string kFullToken = "grpc-full-token-0123456789";
const std::string kReadToken = "grpc-read-token-0123456789";

class GrpcAuthTest : public GrpcTest {
 protected:
  static void SetUpTestSuite() {
    ::setenv("VALET_API_TOKEN", kFullToken.c_str(), 1);
    ::setenv("VALET_API_READ_TOKEN", kReadToken.c_str(), 1);
    StartServer(GrpcValetdConfig());
    ::unsetenv("VALET_API_TOKEN");
    ::unsetenv("VALET_API_READ_TOKEN");
  }

  ::grpc::Status Create(const std::string& authorization, ::job::CreateJobResponse* created) {
    auto context = grpc().Context();
    if (!authorization.empty()) context->AddMetadata("authorization", authorization);
    return grpc().jobs().Create(context.get(), JobRequest("e", "echo"), created);
  }

  ::grpc::Status Get(const std::string& authorization, const std::string& id) {
    auto context = grpc().Context();
    if (!authorization.empty()) context->AddMetadata("authorization", authorization);
    ::job::GetJobRequest request;
    request.set_id(id);
    ::job::GetJobResponse job;
    return grpc().jobs().Get(context.get(), request, &job);
  }
};

TEST_F(GrpcAuthTest, ACallWithoutAValidTokenIsUnauthenticated) {
  ::job::CreateJobResponse created;
  for (const std::string& authorization :
       {std::string(), "Bearer " + kFullToken + "x", "Basic " + kFullToken, kFullToken}) {
    ::grpc::Status status = Create(authorization, &created);
    EXPECT_EQ(status.error_code(), ::grpc::StatusCode::UNAUTHENTICATED)
        << authorization << ": " << Describe(status);
  }
  ::task::GetTasksResponse tasks;
  auto context = grpc().Context();
  EXPECT_EQ(grpc().tasks().GetTasks(context.get(), {}, &tasks).error_code(),
            ::grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(GrpcAuthTest, AFullTokenWritesAndAReadTokenOnlyReads) {
  ::job::CreateJobResponse created;
  ::grpc::Status status = Create("Bearer " + kFullToken, &created);
  ASSERT_TRUE(status.ok()) << Describe(status);
  std::string id = created.id();

  EXPECT_TRUE(Get("Bearer " + kReadToken, id).ok());
  EXPECT_TRUE(Get("Bearer " + kFullToken, id).ok());
  ::job::CreateJobResponse refused;
  status = Create("Bearer " + kReadToken, &refused);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_TRUE(refused.id().empty());

  auto context = grpc().Context();
  context->AddMetadata("authorization", "Bearer " + kReadToken);
  ::job::DeleteJobRequest remove;
  remove.set_id(id);
  ::job::DeleteJobResponse removed;
  EXPECT_EQ(grpc().jobs().Delete(context.get(), remove, &removed).error_code(),
            ::grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Get("Bearer " + kReadToken, id).ok()) << "the job was deleted";
}

}  // namespace
}  // namespace valet::e2e
