#include "valet/core/group_service.hpp"

#include <gtest/gtest.h>

#include "valet/adapters/memory/memory_job_repository.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::core {
namespace {

using namespace std::chrono;

// One valet instance: its services over the repository and queue that all instances share.
struct Instance {
  Instance(JobRepository& repository, JobQueue& queue, const TaskRegistry& tasks, Clock& clock,
           IdGenerator& ids, Logger& logger)
      : factory(tasks, clock, ids),
        jobs(repository, queue, factory, nullptr),
        pipelines(repository, queue, factory, nullptr),
        results(repository),
        groups(repository.Groups(), jobs, pipelines, results, factory, logger) {}

  JobFactory factory;
  JobService jobs;
  PipelineService pipelines;
  ResultService results;
  GroupService groups;
};

class GroupServiceTest : public ::testing::Test {
 protected:
  GroupServiceTest() {
    tasks_.Register("noop", [](TaskContext&) { return TaskResult(); }).IgnoreError();
  }

  GroupService& service() { return first_.groups; }

  static GroupMemberRequest Job(std::string name) {
    return {.job = JobRequest{.name = std::move(name), .task_name = "noop"}};
  }
  static GroupRequest TwoJobsThenSum() {
    return {.name = "fan out",
            .members = {Job("a"), Job("b")},
            .then = JobRequest{.name = "sum", .task_name = "noop", .task_params = {{"k", 1}}}};
  }

  // Runs a job to `to` with `result`, as a worker would.
  void Finish(const std::string& id, JobStatus to, Json result = nullptr) {
    ASSERT_TRUE(repository_.StartJob(id, testing::LeaseAt(clock_.Now())).ok()) << id;
    std::string error = to == JobStatus::kFailed ? "boom" : "";
    Transition finish{JobStatus::kInProgress, to, clock_.Now(), error,
                      JobResult{id, std::move(result), error}};
    finish.lease_token = "lease-token";
    ASSERT_TRUE(repository_.TransitionJob(id, finish).ok()) << id;
  }

  adapters::memory::MemoryJobRepository repository_;
  testing::RecordingJobQueue queue_;
  testing::FakeClock clock_;
  testing::SequentialIds ids_;
  testing::RecordingLogger logger_;
  TaskRegistry tasks_;
  Instance first_{repository_, queue_, tasks_, clock_, ids_, logger_};
};

TEST_F(GroupServiceTest, RefusesRequestsThatCouldNeverRun) {
  auto refused = [&](const GroupRequest& request) {
    auto created = service().Create(request);
    EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument);
    return created.status().message();
  };
  GroupRequest request = TwoJobsThenSum();
  request.name.clear();
  EXPECT_EQ(refused(request), "name required");
  request = TwoJobsThenSum();
  request.members.clear();
  EXPECT_EQ(refused(request), "members required: a group has at least one job or pipeline");
  request = TwoJobsThenSum();
  request.members[1] = GroupMemberRequest{};
  EXPECT_EQ(refused(request), "members[1] needs a job or a pipeline (one of them)");
  request = TwoJobsThenSum();
  request.members[1].job->task_name = "nope";
  EXPECT_EQ(refused(request),
            "members[1].job: nope is not a valid task name - valid tasks: [noop]");
  request = TwoJobsThenSum();
  request.members[0].job->run_in = "5m";
  EXPECT_EQ(refused(request),
            "members[0].job.run_at and members[0].job.run_in cannot be used in a group: its "
            "members start at once and its then job once they have finished");
  request = TwoJobsThenSum();
  request.members[0] = {
      .pipeline = PipelineRequest{.name = "short", .jobs = {{.name = "x", .task_name = "noop"}}}};
  EXPECT_EQ(refused(request), "members[0].pipeline: pipeline should have at least 2 jobs, 1 given");
  request = TwoJobsThenSum();
  request.then->task_params["results"] = 1;
  EXPECT_EQ(refused(request),
            "then.task_params.results is taken: it receives the members' results");
  request = TwoJobsThenSum();
  request.then->task_name.clear();
  EXPECT_EQ(refused(request), "then: task_name required");
  request = TwoJobsThenSum();
  request.members.assign(GroupService::kMostMembers + 1, Job("many"));
  EXPECT_EQ(refused(request), "a group has at most 1000 members, 1001 given");
  EXPECT_TRUE(service().List(std::nullopt)->empty());
  EXPECT_TRUE(repository_.ListJobs(std::nullopt)->empty());
}

TEST_F(GroupServiceTest, CreateStoresTheGroupAndQueuesEveryMember) {
  GroupRequest request = TwoJobsThenSum();
  request.members.push_back(
      {.pipeline = PipelineRequest{
           .name = "chain",
           .jobs = {{.name = "p1", .task_name = "noop"}, {.name = "p2", .task_name = "noop"}}}});
  auto created = service().Create(request);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const std::string& id = created->group.id;
  ASSERT_EQ(created->members.size(), 3u);
  EXPECT_EQ(created->members[0].job_id, GroupMemberId(id, 0));
  EXPECT_EQ(created->members[1].name, "b");
  EXPECT_EQ(created->members[2].pipeline_id, GroupMemberId(id, 2));
  EXPECT_EQ(created->status, JobStatus::kPending);
  EXPECT_TRUE(created->then_job_id.empty());
  auto pipeline_jobs = *repository_.ListPipelineJobs(GroupMemberId(id, 2));
  EXPECT_EQ(queue_.pushed, (std::vector<std::string>{GroupMemberId(id, 0), GroupMemberId(id, 1),
                                                     pipeline_jobs[0].id}));
  EXPECT_EQ(service().List(JobStatus::kPending)->size(), 1u);
}

TEST_F(GroupServiceTest, AllMembersCompletedSettleTheGroupAndRunTheChordWithTheirResults) {
  auto created = service().Create(TwoJobsThenSum());
  ASSERT_TRUE(created.ok());
  const std::string id = created->group.id;
  Finish(GroupMemberId(id, 1), JobStatus::kCompleted, Json{{"b", 2}});
  EXPECT_TRUE(service().SettleFinished());
  EXPECT_EQ(service().Get(id)->status, JobStatus::kInProgress);
  EXPECT_EQ(repository_.GetJob(GroupChordId(id)).status().code(), StatusCode::kNotFound);

  Finish(GroupMemberId(id, 0), JobStatus::kCompleted, Json{{"a", 1}});
  EXPECT_TRUE(service().SettleFinished());
  auto settled = service().Get(id);
  ASSERT_TRUE(settled.ok());
  EXPECT_EQ(settled->status, JobStatus::kCompleted);
  EXPECT_EQ(settled->group.completed_at, clock_.Now());
  EXPECT_EQ(settled->then_job_id, GroupChordId(id));
  auto chord = repository_.GetJob(GroupChordId(id));
  ASSERT_TRUE(chord.ok());
  EXPECT_EQ(chord->name, "sum");
  EXPECT_EQ(chord->task_params,
            (Json{{"k", 1}, {"results", Json::array({Json{{"a", 1}}, Json{{"b", 2}}})}}));
  EXPECT_EQ(queue_.pushed.back(), GroupChordId(id));
  EXPECT_FALSE(service().SettleFinished()) << "no group is open any more";
}

TEST_F(GroupServiceTest, APipelineMemberGivesItsLastJobsResult) {
  GroupRequest request{.name = "mixed",
                       .members = {Job("solo")},
                       .then = JobRequest{.name = "after", .task_name = "noop"}};
  request.members.push_back(
      {.pipeline = PipelineRequest{
           .name = "chain",
           .jobs = {{.name = "p1", .task_name = "noop"}, {.name = "p2", .task_name = "noop"}}}});
  auto created = service().Create(request);
  ASSERT_TRUE(created.ok());
  const std::string id = created->group.id;
  auto steps = *repository_.ListPipelineJobs(GroupMemberId(id, 1));
  Finish(GroupMemberId(id, 0), JobStatus::kCompleted, "solo done");
  Finish(steps[0].id, JobStatus::kCompleted, "first step");
  Finish(steps[1].id, JobStatus::kCompleted, "last step");
  ASSERT_TRUE(
      repository_
          .TransitionPipeline(
              GroupMemberId(id, 1),
              Transition{
                  JobStatus::kPending, JobStatus::kInProgress, clock_.Now(), {}, std::nullopt})
          .ok());
  service().SettleFinished();
  EXPECT_EQ(service().Get(id)->status, JobStatus::kInProgress) << "the pipeline still runs";
  ASSERT_TRUE(
      repository_
          .TransitionPipeline(
              GroupMemberId(id, 1),
              Transition{
                  JobStatus::kInProgress, JobStatus::kCompleted, clock_.Now(), {}, std::nullopt})
          .ok());
  service().SettleFinished();
  EXPECT_EQ(service().Get(id)->status, JobStatus::kCompleted);
  EXPECT_EQ(repository_.GetJob(GroupChordId(id))->task_params["results"],
            Json::array({"solo done", "last step"}));
}

TEST_F(GroupServiceTest, AFailedMemberFailsTheGroupAndTheChordNeverRuns) {
  auto created = service().Create(TwoJobsThenSum());
  ASSERT_TRUE(created.ok());
  const std::string id = created->group.id;
  Finish(GroupMemberId(id, 0), JobStatus::kCompleted);
  Finish(GroupMemberId(id, 1), JobStatus::kFailed);
  service().SettleFinished();
  auto settled = service().Get(id);
  EXPECT_EQ(settled->status, JobStatus::kFailed);
  EXPECT_EQ(settled->group.failure_reason, "member 1 (b) failed");
  EXPECT_TRUE(settled->then_job_id.empty());
  EXPECT_EQ(repository_.GetJob(GroupChordId(id)).status().code(), StatusCode::kNotFound);
}

TEST_F(GroupServiceTest, InstancesSettlingTheSameGroupSubmitOneChord) {
  Instance second{repository_, queue_, tasks_, clock_, ids_, logger_};
  auto created = service().Create(TwoJobsThenSum());
  ASSERT_TRUE(created.ok());
  const std::string id = created->group.id;
  Finish(GroupMemberId(id, 0), JobStatus::kCompleted);
  Finish(GroupMemberId(id, 1), JobStatus::kCompleted);
  std::size_t pushed_before = queue_.pushed.size();
  service().SettleFinished();
  // The second instance read the group as open before the first settled it.
  Group reopened = *repository_.Groups().GetGroup(id);
  reopened.status = JobStatus::kPending;
  ASSERT_TRUE(repository_.Groups().UpdateGroup(reopened).ok());
  second.groups.SettleFinished();
  EXPECT_EQ(queue_.pushed.size(), pushed_before + 1) << "one chord job";
  EXPECT_EQ(repository_.ListJobs(std::nullopt)->size(), 3u);
  EXPECT_EQ(service().Get(id)->status, JobStatus::kCompleted);
}

TEST_F(GroupServiceTest, AChordTheQueueRefusesIsSubmittedLater) {
  auto created = service().Create(TwoJobsThenSum());
  ASSERT_TRUE(created.ok());
  const std::string id = created->group.id;
  Finish(GroupMemberId(id, 0), JobStatus::kCompleted);
  Finish(GroupMemberId(id, 1), JobStatus::kCompleted);
  queue_.full = true;
  EXPECT_TRUE(service().SettleFinished());
  EXPECT_EQ(repository_.Groups().GetGroup(id)->status, JobStatus::kPending);
  queue_.full = false;
  service().SettleFinished();
  EXPECT_EQ(service().Get(id)->status, JobStatus::kCompleted);
  EXPECT_TRUE(repository_.GetJob(GroupChordId(id)).ok());
}

TEST_F(GroupServiceTest, ASubmitTheQueueRefusesLeavesNothing) {
  queue_.full = true;
  auto created = service().Create(TwoJobsThenSum());
  EXPECT_EQ(created.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(service().List(std::nullopt)->empty());
  EXPECT_TRUE(repository_.ListJobs(std::nullopt)->empty());
}

TEST_F(GroupServiceTest, CancelStopsTheMembersThatHaveNotFinished) {
  auto created = service().Create(TwoJobsThenSum());
  ASSERT_TRUE(created.ok());
  const std::string id = created->group.id;
  Finish(GroupMemberId(id, 0), JobStatus::kCompleted);
  auto cancelled = service().Cancel(id);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  EXPECT_EQ(cancelled->status, JobStatus::kCancelled);
  EXPECT_EQ(cancelled->group.failure_reason, "member 1 (b) was cancelled");
  EXPECT_EQ(cancelled->members[0].status, JobStatus::kCompleted);
  EXPECT_EQ(cancelled->members[1].status, JobStatus::kCancelled);
  EXPECT_EQ(service().Cancel(id).status().code(), StatusCode::kConflict);
}

TEST_F(GroupServiceTest, DeleteRemovesTheGroupItsMembersAndItsChord) {
  auto created = service().Create(TwoJobsThenSum());
  ASSERT_TRUE(created.ok());
  const std::string id = created->group.id;
  Finish(GroupMemberId(id, 0), JobStatus::kCompleted);
  Finish(GroupMemberId(id, 1), JobStatus::kCompleted);
  service().SettleFinished();
  ASSERT_TRUE(repository_.GetJob(GroupChordId(id)).ok());
  ASSERT_TRUE(service().Delete(id).ok());
  EXPECT_EQ(service().Get(id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service().Get(id).status().message(), "group with ID: " + id + " not found");
  EXPECT_TRUE(repository_.ListJobs(std::nullopt)->empty());
}

TEST_F(GroupServiceTest, AMemberDeletedOnItsOwnFailsTheGroup) {
  auto created = service().Create(TwoJobsThenSum());
  ASSERT_TRUE(created.ok());
  const std::string id = created->group.id;
  Finish(GroupMemberId(id, 0), JobStatus::kCompleted);
  ASSERT_TRUE(first_.jobs.Delete(GroupMemberId(id, 1)).ok());
  service().SettleFinished();
  auto settled = service().Get(id);
  EXPECT_EQ(settled->status, JobStatus::kFailed);
  EXPECT_EQ(settled->group.failure_reason, "member 1 (b) was deleted");
  EXPECT_TRUE(settled->members[1].missing);
}

}  // namespace
}  // namespace valet::core
