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

TEST_F(GrpcAuthTest, AReadTokenListsSchedulesButCannotChangeThem) {
  auto call = [&](const std::string& token) {
    auto context = grpc().Context();
    context->AddMetadata("authorization", "Bearer " + token);
    return context;
  };
  ::schedule::CreateScheduleRequest request;
  request.set_name("read me");
  request.set_every("1h");
  *request.mutable_job() = JobRequest("e", "echo");
  ::schedule::GetScheduleResponse created;
  ::grpc::Status status = grpc().schedules().Create(call(kReadToken).get(), request, &created);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  status = grpc().schedules().Create(call(kFullToken).get(), request, &created);
  ASSERT_TRUE(status.ok()) << Describe(status);

  ::schedule::ListSchedulesResponse listed;
  status = grpc().schedules().List(call(kReadToken).get(), {}, &listed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(listed.schedules_size(), 1);
  ::schedule::GetScheduleRequest get;
  get.set_id(created.id());
  ::schedule::GetScheduleResponse got;
  EXPECT_TRUE(grpc().schedules().Get(call(kReadToken).get(), get, &got).ok());

  ::schedule::PauseScheduleRequest pause;
  pause.set_id(created.id());
  ::schedule::GetScheduleResponse paused;
  status = grpc().schedules().Pause(call(kReadToken).get(), pause, &paused);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  ::schedule::DeleteScheduleRequest remove;
  remove.set_id(created.id());
  ::schedule::DeleteScheduleResponse removed;
  status = grpc().schedules().Delete(call(kReadToken).get(), remove, &removed);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_TRUE(grpc().schedules().Delete(call(kFullToken).get(), remove, &removed).ok());
}

TEST_F(GrpcAuthTest, AReadTokenGetsAndListsGroupsButCannotChangeThem) {
  auto call = [&](const std::string& token) {
    auto context = grpc().Context();
    context->AddMetadata("authorization", "Bearer " + token);
    return context;
  };
  ::group::CreateGroupRequest request;
  request.set_name("read me");
  *request.add_members()->mutable_job() = JobRequest("e", "echo");
  ::group::GetGroupResponse created;
  ::grpc::Status status = grpc().groups().Create(call(kReadToken).get(), request, &created);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  status = grpc().groups().Create(call(kFullToken).get(), request, &created);
  ASSERT_TRUE(status.ok()) << Describe(status);

  ::group::ListGroupsResponse listed;
  status = grpc().groups().List(call(kReadToken).get(), {}, &listed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(listed.groups_size(), 1);
  ::group::GetGroupRequest get;
  get.set_id(created.id());
  ::group::GetGroupResponse got;
  EXPECT_TRUE(grpc().groups().Get(call(kReadToken).get(), get, &got).ok());

  ::group::CancelGroupRequest cancel;
  cancel.set_id(created.id());
  ::group::GetGroupResponse cancelled;
  status = grpc().groups().Cancel(call(kReadToken).get(), cancel, &cancelled);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  ::group::DeleteGroupRequest remove;
  remove.set_id(created.id());
  ::group::DeleteGroupResponse removed;
  status = grpc().groups().Delete(call(kReadToken).get(), remove, &removed);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_TRUE(grpc().groups().Get(call(kReadToken).get(), get, &got).ok()) << "it was deleted";
  EXPECT_TRUE(grpc().groups().Delete(call(kFullToken).get(), remove, &removed).ok());
}

}  // namespace
}  // namespace valet::e2e
