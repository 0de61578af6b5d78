#include "group_messages.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace valet::adapters::grpc {
namespace {

using std::chrono::microseconds;

constexpr char kGroupId[] = "5d0c7a2e-8f1b-4c3d-9e4f-a1b2c3d4e5f6";

Group SettledGroup() {
  Group group;
  group.id = kGroupId;
  group.name = "fan out";
  group.description = "three at once";
  group.definition =
      Json{{"members",
            {{{"job", {{"name", "a"}, {"task_name", "echo"}}}},
             {{"pipeline", {{"name", "p"}, {"jobs", Json::array()}}}},
             {{"job", {{"name", "c"}, {"task_name", "echo"}}}}}},
           {"then", {{"name", "chord"}, {"task_name", "echo"}, {"task_params", {{"k", 1}}}}}};
  group.status = JobStatus::kCompleted;
  group.created_at = TimePoint{microseconds{1'000'000}};
  group.completed_at = TimePoint{microseconds{3'500'000}};
  return group;
}

core::GroupWithMembers WithMembers(Group group) {
  core::GroupWithMembers found;
  found.group = std::move(group);
  found.status = found.group.status;
  found.members = {
      {.job_id = "j-a", .name = "a", .status = JobStatus::kCompleted},
      {.pipeline_id = "p-b", .name = "p", .status = JobStatus::kCompleted},
      {.job_id = "j-c", .name = "c", .missing = true},
  };
  found.then_job_id = "j-then";
  return found;
}

TEST(GroupMessagesTest, AGroupShowsItsMembersStatusesAndThen) {
  ::group::GetGroupResponse view;
  ToProto(WithMembers(SettledGroup()), &view);
  EXPECT_EQ(view.id(), kGroupId);
  EXPECT_EQ(view.name(), "fan out");
  EXPECT_EQ(view.description(), "three at once");
  EXPECT_EQ(view.status(), 4);
  EXPECT_EQ(view.failure_reason(), "");
  EXPECT_EQ(view.created_at().seconds(), 1);
  EXPECT_EQ(view.completed_at().seconds(), 3);
  EXPECT_EQ(view.completed_at().nanos(), 500'000'000);

  ASSERT_EQ(view.members_size(), 3);
  EXPECT_EQ(view.members(0).id_case(), ::group::GroupMember::kJobId);
  EXPECT_EQ(view.members(0).job_id(), "j-a");
  EXPECT_EQ(view.members(0).name(), "a");
  EXPECT_EQ(view.members(0).status(), 4);
  EXPECT_FALSE(view.members(0).deleted());
  EXPECT_EQ(view.members(1).id_case(), ::group::GroupMember::kPipelineId);
  EXPECT_EQ(view.members(1).pipeline_id(), "p-b");
  EXPECT_EQ(view.members(2).job_id(), "j-c");
  EXPECT_TRUE(view.members(2).deleted());
  EXPECT_EQ(view.members(2).status(), 0);
  // A deleted member has no status to show.
  ASSERT_EQ(view.statuses_size(), 2);
  EXPECT_EQ(view.statuses().at("j-a"), 4);
  EXPECT_EQ(view.statuses().at("p-b"), 4);

  ASSERT_TRUE(view.has_then());
  EXPECT_EQ(view.then().name(), "chord");
  EXPECT_EQ(view.then().task_name(), "echo");
  EXPECT_EQ(view.then().task_params().fields().at("k").number_value(), 1);
  EXPECT_EQ(view.then_job_id(), "j-then");
}

TEST(GroupMessagesTest, TheDerivedStatusWinsOverTheStoredOne) {
  Group group = SettledGroup();
  group.status = JobStatus::kPending;
  group.completed_at.reset();
  group.definition.erase("then");
  core::GroupWithMembers found = WithMembers(group);
  found.status = JobStatus::kInProgress;
  found.then_job_id.clear();
  ::group::GetGroupResponse view;
  ToProto(found, &view);
  EXPECT_EQ(view.status(), 3);
  EXPECT_FALSE(view.has_completed_at());
  EXPECT_FALSE(view.has_then());
  EXPECT_EQ(view.then_job_id(), "");
}

TEST(GroupMessagesTest, ASummaryLeavesMembersAndThenOut) {
  Group group = SettledGroup();
  group.status = JobStatus::kFailed;
  group.failure_reason = "member 0 (a) failed";
  ::group::GetGroupResponse view;
  ToProto(group, &view);
  EXPECT_EQ(view.id(), kGroupId);
  EXPECT_EQ(view.status(), 5);
  EXPECT_EQ(view.failure_reason(), "member 0 (a) failed");
  EXPECT_EQ(view.members_size(), 0);
  EXPECT_EQ(view.statuses_size(), 0);
  EXPECT_FALSE(view.has_then());
  EXPECT_EQ(view.then_job_id(), "");
}

TEST(GroupMessagesTest, ACreateRequestBecomesACoreRequest) {
  ::group::CreateGroupRequest request;
  request.set_name("g");
  request.set_description("d");
  ::job::CreateJobRequest* job = request.add_members()->mutable_job();
  job->set_name("a");
  job->set_task_name("echo");
  (*job->mutable_task_params()->mutable_fields())["n"].set_number_value(2);
  ::pipeline::CreatePipelineRequest* pipeline = request.add_members()->mutable_pipeline();
  pipeline->set_name("p");
  pipeline->add_jobs()->set_task_name("echo");
  request.add_members();  // neither: left for the core to refuse
  request.mutable_then()->set_task_name("echo");

  auto group = ToGroupRequest(request);
  ASSERT_TRUE(group.ok()) << group.status().message();
  EXPECT_EQ(group->name, "g");
  EXPECT_EQ(group->description, "d");
  ASSERT_EQ(group->members.size(), 3u);
  ASSERT_TRUE(group->members[0].job.has_value());
  EXPECT_FALSE(group->members[0].pipeline.has_value());
  EXPECT_EQ(group->members[0].job->task_params, (Json{{"n", 2}}));
  ASSERT_TRUE(group->members[1].pipeline.has_value());
  EXPECT_EQ(group->members[1].pipeline->jobs.size(), 1u);
  EXPECT_FALSE(group->members[2].job || group->members[2].pipeline);
  ASSERT_TRUE(group->then.has_value());
  EXPECT_EQ(group->then->task_name, "echo");

  auto bare = ToGroupRequest(::group::CreateGroupRequest());
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(bare->members.empty());
  EXPECT_FALSE(bare->then.has_value());
}

TEST(GroupMessagesTest, TaskParamsThatCannotBeJsonAreNamedAsOverHttp) {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  ::group::CreateGroupRequest request;
  request.add_members()->mutable_job();
  ::job::CreateJobRequest* job = request.add_members()->mutable_job();
  (*job->mutable_task_params()->mutable_fields())["x"].set_number_value(kInfinity);
  EXPECT_EQ(ToGroupRequest(request).status().message(),
            "members[1].job.task_params.x must be a finite number");

  request.mutable_members()->RemoveLast();
  ::pipeline::CreatePipelineRequest* pipeline = request.add_members()->mutable_pipeline();
  pipeline->add_jobs();
  (*pipeline->add_jobs()->mutable_task_params()->mutable_fields())["x"].set_number_value(
      std::numeric_limits<double>::quiet_NaN());
  auto refused = ToGroupRequest(request);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(),
            "members[1].pipeline.jobs[1].task_params.x must be a finite number");

  request.mutable_members()->RemoveLast();
  (*request.mutable_then()->mutable_task_params()->mutable_fields())["x"].set_number_value(
      kInfinity);
  EXPECT_EQ(ToGroupRequest(request).status().message(),
            "then.task_params.x must be a finite number");
}

}  // namespace
}  // namespace valet::adapters::grpc
