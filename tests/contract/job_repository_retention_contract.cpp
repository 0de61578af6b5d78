// The finished indexes retention reads (ListFinished, NthLatestFinish), owed by every
// JobRepository.
#include "job_repository_contract.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;

const TimePoint kBase = sys_days{2030y / 5 / 1} + 111us;

Job MakeJob(std::string name) {
  static core::UuidGenerator ids;
  Job job;
  job.id = ids.NewId();
  job.name = std::move(name);
  job.task_name = "noop";
  job.created_at = kBase;
  return job;
}

Transition Move(JobStatus from, JobStatus to, TimePoint at) {
  return Transition{from, to, at, to == JobStatus::kFailed ? "boom" : "", std::nullopt};
}

// Runs a pending job, then ends it in `to` at `at`.
void FinishJob(JobRepository& repository, const std::string& id, JobStatus to, TimePoint at) {
  ASSERT_TRUE(
      repository.TransitionJob(id, Move(JobStatus::kPending, JobStatus::kInProgress, kBase)).ok());
  ASSERT_TRUE(repository.TransitionJob(id, Move(JobStatus::kInProgress, to, at)).ok());
}

void FinishPipeline(JobRepository& repository, const std::string& id, JobStatus to, TimePoint at) {
  ASSERT_TRUE(
      repository.TransitionPipeline(id, Move(JobStatus::kPending, JobStatus::kInProgress, kBase))
          .ok());
  ASSERT_TRUE(repository.TransitionPipeline(id, Move(JobStatus::kInProgress, to, at)).ok());
}

TEST_P(JobRepositoryContract, ListsFinishedJobsOfNoPipelineByCompletion) {
  Job late = MakeJob("late");
  Job early = MakeJob("early");
  Job cancelled = MakeJob("cancelled");
  Job running = MakeJob("running");
  Job waiting = MakeJob("waiting");
  for (const Job& job : {late, early, cancelled, running, waiting}) {
    ASSERT_TRUE(repository().CreateJob(job).ok());
  }
  Pipeline pipeline{.id = MakeJob("p").id, .name = "p", .created_at = kBase};
  Job step = MakeJob("step");
  step.pipeline_id = pipeline.id;
  pipeline.job_ids = {step.id};
  ASSERT_TRUE(repository().CreatePipeline(pipeline, {step}).ok());

  ASSERT_TRUE(
      repository()
          .TransitionJob(running.id, Move(JobStatus::kPending, JobStatus::kInProgress, kBase + 1s))
          .ok());
  FinishJob(repository(), late.id, JobStatus::kCompleted, kBase + 30s);
  FinishJob(repository(), early.id, JobStatus::kFailed, kBase + 10s);
  FinishJob(repository(), cancelled.id, JobStatus::kCancelled, kBase + 20s);
  FinishJob(repository(), step.id, JobStatus::kCompleted, kBase + 5s);

  auto all = repository().ListFinished(FinishedKind::kJobs, kBase + 1h, 10);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(*all, (std::vector<std::string>{early.id, cancelled.id, late.id}));
  // `before` is strict, and the limit holds.
  EXPECT_EQ(*repository().ListFinished(FinishedKind::kJobs, kBase + 20s, 10),
            (std::vector<std::string>{early.id}));
  EXPECT_EQ(*repository().ListFinished(FinishedKind::kJobs, kBase + 1h, 2),
            (std::vector<std::string>{early.id, cancelled.id}));

  EXPECT_EQ(*repository().NthLatestFinish(FinishedKind::kJobs, 1), kBase + 30s);
  EXPECT_EQ(*repository().NthLatestFinish(FinishedKind::kJobs, 3), kBase + 10s);
  EXPECT_FALSE(repository().NthLatestFinish(FinishedKind::kJobs, 4)->has_value());

  ASSERT_TRUE(repository().DeleteJob(cancelled.id).ok());
  EXPECT_EQ(*repository().ListFinished(FinishedKind::kJobs, kBase + 1h, 10),
            (std::vector<std::string>{early.id, late.id}));
  EXPECT_EQ(*repository().NthLatestFinish(FinishedKind::kJobs, 2), kBase + 10s);
}

TEST_P(JobRepositoryContract, ListsFinishedPipelinesByCompletion) {
  std::vector<Pipeline> pipelines;
  for (int i = 0; i < 3; ++i) {
    Pipeline pipeline{.id = MakeJob("p").id, .name = "p" + std::to_string(i), .created_at = kBase};
    Job step = MakeJob("step");
    step.pipeline_id = pipeline.id;
    pipeline.job_ids = {step.id};
    ASSERT_TRUE(repository().CreatePipeline(pipeline, {step}).ok());
    pipelines.push_back(pipeline);
  }
  FinishPipeline(repository(), pipelines[0].id, JobStatus::kCompleted, kBase + 9s);
  FinishPipeline(repository(), pipelines[2].id, JobStatus::kFailed, kBase + 3s);
  EXPECT_EQ(*repository().ListFinished(FinishedKind::kPipelines, kBase + 1h, 10),
            (std::vector<std::string>{pipelines[2].id, pipelines[0].id}));
  EXPECT_EQ(*repository().NthLatestFinish(FinishedKind::kPipelines, 1), kBase + 9s);
  EXPECT_TRUE(repository().ListFinished(FinishedKind::kJobs, kBase + 1h, 10)->empty())
      << "a pipeline's jobs are pruned with their pipeline";

  ASSERT_TRUE(repository().DeletePipeline(pipelines[2].id).ok());
  EXPECT_EQ(*repository().ListFinished(FinishedKind::kPipelines, kBase + 1h, 10),
            (std::vector<std::string>{pipelines[0].id}));
}

TEST_P(JobRepositoryContract, BatchedFinishesEnterTheFinishedIndex) {
  std::vector<Job> jobs = {MakeJob("a"), MakeJob("b")};
  ASSERT_TRUE(repository().CreateJobs(jobs).ok());
  ASSERT_EQ(
      repository().StartJobs({jobs[0].id, jobs[1].id}, Lease{"token", kBase, kBase + 1min})->size(),
      2u);
  auto applied = repository().TransitionJobs(
      {{jobs[0].id, Move(JobStatus::kInProgress, JobStatus::kCompleted, kBase + 2s)},
       {jobs[1].id, Move(JobStatus::kInProgress, JobStatus::kFailed, kBase + 1s)}});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, (std::vector<bool>{true, true}));
  EXPECT_EQ(*repository().ListFinished(FinishedKind::kJobs, kBase + 1h, 10),
            (std::vector<std::string>{jobs[1].id, jobs[0].id}));
}

}  // namespace
}  // namespace valet::testing
