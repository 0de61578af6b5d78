#include "valet/core/pruner.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include "valet/adapters/memory/memory_job_repository.hpp"
#include "valet/core/group_service.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::core {
namespace {

using namespace std::chrono;

class PrunerTest : public ::testing::Test {
 protected:
  PrunerTest() { clock_.Set(sys_days{2030y / 6 / 1}); }

  // A standalone job created now and finished `ago` before now.
  std::string FinishedJob(const std::string& id, microseconds ago) {
    Job job;
    job.id = id;
    job.name = id;
    job.task_name = "noop";
    job.created_at = clock_.Now() - hours{24};
    EXPECT_TRUE(repository_.CreateJob(job).ok());
    Finish(id, clock_.Now() - ago);
    return id;
  }

  void Finish(const std::string& id, TimePoint at) {
    EXPECT_TRUE(
        repository_
            .TransitionJob(id, {JobStatus::kPending, JobStatus::kInProgress, at, {}, std::nullopt})
            .ok());
    EXPECT_TRUE(repository_
                    .TransitionJob(
                        id, {JobStatus::kInProgress, JobStatus::kCompleted, at, {}, std::nullopt})
                    .ok());
  }

  bool Exists(const std::string& id) { return repository_.GetJob(id).ok(); }

  Pruner::Pruned Prune(RetentionOptions options) {
    Pruner pruner(repository_, clock_, logger_, metrics_, options);
    auto pruned = pruner.PruneOnce();
    EXPECT_TRUE(pruned.ok()) << pruned.status().ToString();
    return pruned.ok() ? *pruned : Pruner::Pruned{};
  }

  adapters::memory::MemoryJobRepository repository_;
  testing::FakeClock clock_;
  testing::RecordingLogger logger_;
  Metrics metrics_{{}, clock_};
};

TEST_F(PrunerTest, DeletesWhatFinishedLongerAgoThanTheMaxAge) {
  FinishedJob("00000000-0000-4000-8000-000000000001", hours{50});
  FinishedJob("00000000-0000-4000-8000-000000000002", hours{47});
  FinishedJob("00000000-0000-4000-8000-000000000003", minutes{5});
  Job running;
  running.id = "00000000-0000-4000-8000-000000000004";
  running.name = running.task_name = "r";
  running.created_at = clock_.Now() - hours{100};
  ASSERT_TRUE(repository_.CreateJob(running).ok());

  Pruner::Pruned pruned = Prune({.max_age = hours{48}});
  EXPECT_EQ(pruned.jobs, 1u);
  EXPECT_FALSE(Exists("00000000-0000-4000-8000-000000000001"));
  EXPECT_TRUE(Exists("00000000-0000-4000-8000-000000000002"));
  EXPECT_TRUE(Exists("00000000-0000-4000-8000-000000000003"));
  EXPECT_TRUE(Exists(running.id)) << "an unfinished job is never pruned, however old";
  EXPECT_EQ(metrics_.pruned_jobs.load(), 1u);
  EXPECT_NE(metrics_.Render(true, true, std::nullopt).find("valet_pruned_total{kind=\"job\"} 1"),
            std::string::npos);
}

TEST_F(PrunerTest, KeepsTheLatestMaxCountAndWithoutLimitsKeepsEverything) {
  for (int i = 1; i <= 9; ++i) {
    FinishedJob("00000000-0000-4000-8000-00000000000" + std::to_string(i), minutes{10 - i});
  }
  EXPECT_EQ(Prune({}).jobs, 0u);
  EXPECT_EQ(Prune({.max_count = 4}).jobs, 5u);
  for (int i = 1; i <= 9; ++i) {
    EXPECT_EQ(Exists("00000000-0000-4000-8000-00000000000" + std::to_string(i)), i > 5) << i;
  }
  EXPECT_EQ(Prune({.max_count = 4}).jobs, 0u) << "a second round finds nothing more";
}

TEST_F(PrunerTest, PrunesMoreThanOneBatchInARound) {
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < Pruner::kBatch * 2 + 7; ++i) {
    Job job;
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012zu", i);
    job.id = id;
    job.name = job.task_name = "noop";
    job.created_at = clock_.Now();
    jobs.push_back(job);
  }
  ASSERT_TRUE(repository_.CreateJobs(jobs).ok());
  for (const Job& job : jobs) Finish(job.id, clock_.Now() - hours{2});
  EXPECT_EQ(Prune({.max_age = hours{1}}).jobs, jobs.size());
  EXPECT_TRUE(repository_.ListJobs(std::nullopt)->empty());
}

TEST_F(PrunerTest, KeepsTheMembersOfOpenGroupsAndPrunesPipelinesWhole) {
  Group group;
  group.id = "00000000-0000-4000-8000-0000000000aa";
  group.name = "g";
  group.definition = {{"members", Json::array({Json::object(), Json::object()})}};
  group.created_at = clock_.Now();
  ASSERT_TRUE(repository_.Groups().CreateGroup(group).ok());
  std::string member = FinishedJob(GroupMemberId(group.id, 0), hours{3});
  std::string other = FinishedJob("00000000-0000-4000-8000-000000000001", hours{3});

  Pipeline pipeline;
  pipeline.id = "00000000-0000-4000-8000-0000000000bb";
  pipeline.name = "p";
  pipeline.created_at = clock_.Now() - hours{5};
  Job step;
  step.id = "00000000-0000-4000-8000-0000000000cc";
  step.name = step.task_name = "step";
  step.pipeline_id = pipeline.id;
  step.created_at = pipeline.created_at;
  pipeline.job_ids = {step.id};
  ASSERT_TRUE(repository_.CreatePipeline(pipeline, {step}).ok());
  Finish(step.id, clock_.Now() - hours{4});
  TimePoint ended = clock_.Now() - hours{4};
  ASSERT_TRUE(
      repository_
          .TransitionPipeline(
              pipeline.id, {JobStatus::kPending, JobStatus::kInProgress, ended, {}, std::nullopt})
          .ok());
  ASSERT_TRUE(
      repository_
          .TransitionPipeline(
              pipeline.id, {JobStatus::kInProgress, JobStatus::kCompleted, ended, {}, std::nullopt})
          .ok());

  Pruner::Pruned pruned = Prune({.max_age = hours{1}});
  EXPECT_EQ(pruned.jobs, 1u);
  EXPECT_EQ(pruned.pipelines, 1u);
  EXPECT_TRUE(Exists(member)) << "the chord of an open group still needs its members' results";
  EXPECT_FALSE(Exists(other));
  EXPECT_FALSE(repository_.GetPipeline(pipeline.id).ok());
  EXPECT_FALSE(Exists(step.id)) << "a pipeline goes with its jobs";

  group.status = JobStatus::kCompleted;
  group.completed_at = clock_.Now();
  ASSERT_TRUE(repository_.Groups().UpdateGroup(group).ok());
  EXPECT_EQ(Prune({.max_age = hours{1}}).jobs, 1u);
  EXPECT_FALSE(Exists(member)) << "once the group is settled, its members are pruned as any job";
}

}  // namespace
}  // namespace valet::core
