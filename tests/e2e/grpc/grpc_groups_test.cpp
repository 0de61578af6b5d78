// group.Group over gRPC: groups that complete with their chord, fail, are cancelled and deleted,
// and errors worded as the HTTP API words them.

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "grpc_test.hpp"

namespace valet::e2e {
namespace {

using namespace std::chrono_literals;
using ::grpc::StatusCode;

class GrpcGroupsTest : public GrpcTest {
 protected:
  ::grpc::Status Create(const ::group::CreateGroupRequest& request,
                        ::group::GetGroupResponse* response) {
    return grpc().Call(&::group::Group::Stub::Create, grpc().groups(), request, response);
  }

  // Group/Create; the group, with a test failure unless the call succeeded.
  ::group::GetGroupResponse CreateGroup(const ::group::CreateGroupRequest& request) {
    ::group::GetGroupResponse created;
    ::grpc::Status status = Create(request, &created);
    EXPECT_TRUE(status.ok()) << request.ShortDebugString() << " gave " << Describe(status);
    return created;
  }

  ::grpc::Status Get(const std::string& id, ::group::GetGroupResponse* response) {
    ::group::GetGroupRequest request;
    request.set_id(id);
    return grpc().Call(&::group::Group::Stub::Get, grpc().groups(), request, response);
  }

  ::grpc::Status List(const std::string& status, ::group::ListGroupsResponse* response) {
    ::group::ListGroupsRequest request;
    request.set_status(status);
    return grpc().Call(&::group::Group::Stub::List, grpc().groups(), request, response);
  }

  // Group/List; a test failure unless the call succeeded.
  ::group::ListGroupsResponse ListGroups(const std::string& status = "") {
    ::group::ListGroupsResponse listed;
    ::grpc::Status called = List(status, &listed);
    EXPECT_TRUE(called.ok()) << Describe(called);
    return listed;
  }

  ::grpc::Status Cancel(const std::string& id, ::group::GetGroupResponse* response) {
    ::group::CancelGroupRequest request;
    request.set_id(id);
    return grpc().Call(&::group::Group::Stub::Cancel, grpc().groups(), request, response);
  }

  ::grpc::Status Delete(const std::string& id) {
    ::group::DeleteGroupRequest request;
    request.set_id(id);
    ::group::DeleteGroupResponse deleted;
    return grpc().Call(&::group::Group::Stub::Delete, grpc().groups(), request, &deleted);
  }

  // Polls Group/Get until the group settles; the last view seen, with a test failure on timeout.
  ::group::GetGroupResponse WaitForGroup(const std::string& id) {
    auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
    ::group::GetGroupResponse group;
    while (std::chrono::steady_clock::now() < deadline) {
      group.Clear();
      if (!Get(id, &group).ok()) break;
      if (group.status() == kCompleted || group.status() == kFailed ||
          group.status() == kCancelled) {
        return group;
      }
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "the group did not settle: " << group.ShortDebugString();
    return group;
  }

  ::grpc::Status GetResult(const std::string& job_id, ::jobresult::GetJobResultResponse* result) {
    ::jobresult::GetJobResultRequest request;
    request.set_job_id(job_id);
    return grpc().Call(&::jobresult::JobResult::Stub::Get, grpc().results(), request, result);
  }

  static void AddJob(::group::CreateGroupRequest& request, const std::string& name,
                     const std::string& task_name, const Json& params = nullptr) {
    *request.add_members()->mutable_job() = JobRequest(name, task_name, params);
  }

  static bool Listed(const ::group::ListGroupsResponse& listed, const std::string& id) {
    return std::any_of(listed.groups().begin(), listed.groups().end(),
                       [&](const auto& group) { return group.id() == id; });
  }
};

TEST_F(GrpcGroupsTest, TheChordGetsTheMembersResultsInMemberOrder) {
  ::group::CreateGroupRequest request;
  request.set_name("fan out");
  request.set_description("two jobs and a pipeline");
  AddJob(request, "first", "echo", {{"n", 1}});
  ::pipeline::CreatePipelineRequest* pipeline = request.add_members()->mutable_pipeline();
  pipeline->set_name("chain");
  *pipeline->add_jobs() = JobRequest("step 1", "echo", {{"step", 1}});
  *pipeline->add_jobs() = JobRequest("step 2", "echo", {{"step", 2}});
  pipeline->mutable_jobs(1)->set_use_previous_results(true);
  AddJob(request, "third", "echo", {{"n", 3}});
  *request.mutable_then() = JobRequest("chord", "echo", {{"tag", "chord"}});

  ::group::GetGroupResponse created = CreateGroup(request);
  std::string id = created.id();
  ASSERT_TRUE(IsUuid(id)) << created.ShortDebugString();
  EXPECT_EQ(created.name(), "fan out");
  EXPECT_EQ(created.description(), "two jobs and a pipeline");
  EXPECT_TRUE(created.has_created_at());
  ASSERT_EQ(created.members_size(), 3) << created.ShortDebugString();
  EXPECT_TRUE(IsUuid(created.members(0).job_id()));
  EXPECT_TRUE(IsUuid(created.members(1).pipeline_id()));
  EXPECT_EQ(created.members(1).name(), "chain");
  EXPECT_TRUE(IsUuid(created.members(2).job_id()));
  EXPECT_EQ(created.then().name(), "chord");
  EXPECT_EQ(ToJson(created.then().task_params()), (Json{{"tag", "chord"}}));

  ::group::GetGroupResponse settled = WaitForGroup(id);
  ASSERT_EQ(settled.status(), kCompleted) << settled.ShortDebugString();
  EXPECT_EQ(settled.failure_reason(), "");
  EXPECT_TRUE(settled.has_completed_at());
  ASSERT_EQ(settled.members_size(), 3);
  for (const ::group::GroupMember& member : settled.members()) {
    EXPECT_EQ(member.status(), kCompleted) << member.ShortDebugString();
    EXPECT_FALSE(member.deleted());
  }
  EXPECT_EQ(settled.statuses_size(), 3);
  EXPECT_EQ(settled.statuses().at(created.members(1).pipeline_id()), kCompleted);
  std::string then_id = settled.then_job_id();
  ASSERT_TRUE(IsUuid(then_id)) << settled.ShortDebugString();
  // The same group as over HTTP.
  Json over_http = client().Get("/api/groups/" + id).json();
  EXPECT_EQ(over_http["status"], "COMPLETED");
  EXPECT_EQ(over_http["then_job_id"], then_id);

  Json first = {{"params", {{"n", 1}}}};
  Json step1 = {{"params", {{"step", 1}}}};
  Json step2 = {{"params", {{"step", 2}}}, {"previous", step1}};  // a pipeline gives its last job's
  Json third = {{"params", {{"n", 3}}}};
  Json results = Json::array({first, step2, third});
  ::job::GetJobResponse chord = WaitForJob(then_id);
  EXPECT_EQ(chord.status(), kCompleted) << chord.ShortDebugString();
  EXPECT_EQ(chord.name(), "chord");
  EXPECT_EQ(ToJson(chord.task_params()), (Json{{"tag", "chord"}, {"results", results}}));
  ::jobresult::GetJobResultResponse result;
  ::grpc::Status status = GetResult(then_id, &result);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(ToJson(result.metadata()),
            (Json{{"params", {{"tag", "chord"}, {"results", results}}}}));

  // List: a summary, filtered by status case-insensitively.
  ::group::ListGroupsResponse completed = ListGroups("completed");
  auto listed = std::find_if(completed.groups().begin(), completed.groups().end(),
                             [&](const auto& group) { return group.id() == id; });
  ASSERT_NE(listed, completed.groups().end());
  EXPECT_EQ(listed->status(), kCompleted);
  EXPECT_EQ(listed->name(), "fan out");
  EXPECT_EQ(listed->members_size(), 0);
  EXPECT_FALSE(Listed(ListGroups("FAILED"), id));
  EXPECT_TRUE(Listed(ListGroups(), id));
}

TEST_F(GrpcGroupsTest, AFailingMemberFailsTheGroupAndNoThenJobRuns) {
  ::group::CreateGroupRequest request;
  request.set_name("one fails");
  AddJob(request, "fine", "echo");
  AddJob(request, "broken", "fail", {{"message", "boom"}});
  *request.mutable_then() = JobRequest("chord", "echo");
  std::string id = CreateGroup(request).id();
  ASSERT_TRUE(IsUuid(id));

  ::group::GetGroupResponse settled = WaitForGroup(id);
  EXPECT_EQ(settled.status(), kFailed) << settled.ShortDebugString();
  EXPECT_EQ(settled.failure_reason(), "member 1 (broken) failed");
  ASSERT_EQ(settled.members_size(), 2);
  EXPECT_EQ(settled.members(0).status(), kCompleted);
  EXPECT_EQ(settled.members(1).status(), kFailed);
  EXPECT_EQ(GetJob(settled.members(1).job_id()).failure_reason(), "boom");
  EXPECT_TRUE(settled.has_then()) << "the then job is still shown as it was given";
  EXPECT_EQ(settled.then_job_id(), "");
  EXPECT_TRUE(Listed(ListGroups("failed"), id));
}

TEST_F(GrpcGroupsTest, CancelStopsARunningMemberAndTheGroupEndsCancelled) {
  ::group::CreateGroupRequest request;
  request.set_name("cancelled");
  AddJob(request, "nap", "sleep", {{"ms", 5000}});
  AddJob(request, "quick", "echo");
  *request.mutable_then() = JobRequest("chord", "echo");
  ::group::GetGroupResponse created = CreateGroup(request);
  ASSERT_EQ(created.members_size(), 2) << created.ShortDebugString();
  std::string id = created.id();
  std::string nap = created.members(0).job_id();
  ASSERT_TRUE(WaitForJobStatus(nap, kInProgress)) << GetJob(nap).ShortDebugString();
  ::group::GetGroupResponse running;
  ASSERT_TRUE(Get(id, &running).ok());
  EXPECT_EQ(running.status(), kInProgress) << running.ShortDebugString();

  auto started = std::chrono::steady_clock::now();
  ::group::GetGroupResponse cancelled;
  ::grpc::Status status = Cancel(id, &cancelled);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(cancelled.members(0).status(), kCancelled) << cancelled.ShortDebugString();
  ::group::GetGroupResponse settled = WaitForGroup(id);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s) << "the sleep was not stopped";
  EXPECT_EQ(settled.status(), kCancelled) << settled.ShortDebugString();
  EXPECT_EQ(settled.failure_reason(), "member 0 (nap) was cancelled");
  EXPECT_EQ(settled.then_job_id(), "");
  EXPECT_EQ(GetJob(nap).status(), kCancelled);

  status = Cancel(id, &cancelled);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(status.error_message(), "group with ID: " + id + " is already CANCELLED");
  EXPECT_EQ(status.error_message(),
            ErrorMessage(client().Post("/api/groups/" + id + "/cancel", Json::object()), 409));
}

TEST_F(GrpcGroupsTest, DeleteRemovesTheGroupItsMembersAndItsThenJob) {
  ::group::CreateGroupRequest request;
  request.set_name("deleted");
  AddJob(request, "member", "echo");
  ::pipeline::CreatePipelineRequest* pipeline = request.add_members()->mutable_pipeline();
  pipeline->set_name("chain");
  *pipeline->add_jobs() = JobRequest("a", "noop");
  *pipeline->add_jobs() = JobRequest("b", "noop");
  *request.mutable_then() = JobRequest("chord", "noop");
  std::string id = CreateGroup(request).id();
  ::group::GetGroupResponse settled = WaitForGroup(id);
  ASSERT_EQ(settled.status(), kCompleted) << settled.ShortDebugString();
  ASSERT_TRUE(IsUuid(settled.then_job_id()));

  ::grpc::Status status = Delete(id);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ::group::GetGroupResponse gone;
  status = Get(id, &gone);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << Describe(status);
  EXPECT_EQ(status.error_message(), "group with ID: " + id + " not found");
  EXPECT_FALSE(Listed(ListGroups(), id));
  for (const std::string& job_id : {settled.members(0).job_id(), settled.then_job_id()}) {
    ::job::GetJobRequest get;
    get.set_id(job_id);
    ::job::GetJobResponse job;
    EXPECT_EQ(grpc().Call(&::job::Job::Stub::Get, grpc().jobs(), get, &job).error_code(),
              StatusCode::NOT_FOUND)
        << job_id;
  }
  ::pipeline::GetPipelineRequest get_pipeline;
  get_pipeline.set_id(settled.members(1).pipeline_id());
  ::pipeline::GetPipelineResponse found;
  EXPECT_EQ(grpc()
                .Call(&::pipeline::Pipeline::Stub::Get, grpc().pipelines(), get_pipeline, &found)
                .error_code(),
            StatusCode::NOT_FOUND);
  EXPECT_EQ(Delete(id).error_code(), StatusCode::NOT_FOUND);
}

// Requests that could never run, as HTTP bodies; the gRPC request is read from the same JSON by
// protobuf's own reader (the field names are the same).
std::vector<Json> InvalidGroups() {
  const Json job = {{"name", "j"}, {"task_name", "noop"}};
  const Json member = {{"job", job}};
  return {
      {{"members", {member}}},
      {{"name", "g"}},
      {{"name", "g"}, {"members", Json::array()}},
      {{"name", "g"}, {"members", {member, Json::object()}}},
      {{"name", "g"}, {"members", {{{"job", {{"name", "j"}, {"task_name", "nope"}}}}}}},
      {{"name", "g"}, {"members", {{{"job", {{"task_name", "noop"}}}}}}},
      {{"name", "g"},
       {"members", {{{"job", {{"name", "j"}, {"task_name", "noop"}, {"run_in", "1m"}}}}}}},
      {{"name", "g"},
       {"members",
        {{{"pipeline",
           {{"name", "p"}, {"run_at", "2030-01-01T00:00:00Z"}, {"jobs", {job, job}}}}}}}},
      {{"name", "g"}, {"members", {{{"pipeline", {{"name", "p"}, {"jobs", {job}}}}}}}},
      {{"name", "g"}, {"members", {member}}, {"then", {{"name", "t"}, {"task_name", "nope"}}}},
      {{"name", "g"},
       {"members", {member}},
       {"then", {{"name", "t"}, {"task_name", "echo"}, {"run_in", "1m"}}}},
      {{"name", "g"},
       {"members", {member}},
       {"then", {{"name", "t"}, {"task_name", "echo"}, {"task_params", {{"results", 1}}}}}},
  };
}

TEST_F(GrpcGroupsTest, InvalidGroupsAreInvalidArgumentsWordedAsOverHttpAndStoreNothing) {
  int before = ListGroups().groups_size();
  for (const Json& invalid : InvalidGroups()) {
    ::group::CreateGroupRequest request;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(invalid.dump(), &request).ok())
        << invalid.dump();
    ::group::GetGroupResponse created;
    ::grpc::Status status = Create(request, &created);
    std::string expected = ErrorMessage(client().Post("/api/groups", invalid), 400);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << invalid.dump();
    EXPECT_EQ(status.error_message(), expected) << invalid.dump();
    EXPECT_FALSE(expected.empty()) << invalid.dump();
  }
  // Too many members for the tests' HTTP body limit, so worded by the core alone.
  ::group::CreateGroupRequest too_many;
  too_many.set_name("g");
  for (int i = 0; i < 1001; ++i) *too_many.add_members()->mutable_job() = JobRequest("j", "noop");
  ::group::GetGroupResponse created;
  ::grpc::Status refused = Create(too_many, &created);
  EXPECT_EQ(refused.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(refused);
  EXPECT_EQ(refused.error_message(), "a group has at most 1000 members, 1001 given");
  EXPECT_EQ(ListGroups().groups_size(), before);

  ::group::ListGroupsResponse listed;
  ::grpc::Status status = List("sometimes", &listed);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_EQ(status.error_message(),
            ErrorMessage(client().Get("/api/groups?status=sometimes"), 400));
}

TEST_F(GrpcGroupsTest, UnknownIdsAreNotFound) {
  ::group::GetGroupResponse response;
  for (const std::string id : {"not-a-uuid", "3f1d2c4b-5a69-4b7c-8d9e-0f1a2b3c4d5e", ""}) {
    std::string expected = "group with ID: " + id + " not found";
    for (const ::grpc::Status& status : {Get(id, &response), Cancel(id, &response), Delete(id)}) {
      EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << id << ": " << Describe(status);
      EXPECT_EQ(status.error_message(), expected);
    }
  }
}

}  // namespace
}  // namespace valet::e2e
