#include "job_repository_contract.hpp"

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "valet/core/uuid_generator.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;

const TimePoint kBase = sys_days{2030y / 1 / 1} + 123456us;

core::UuidGenerator& Ids() {
  static core::UuidGenerator ids;
  return ids;
}

Job MakeJob(std::string name, TimePoint created = kBase) {
  Job job;
  job.id = Ids().NewId();
  job.name = std::move(name);
  job.task_name = "noop";
  job.created_at = created;
  return job;
}

Transition Move(JobStatus from, JobStatus to, TimePoint at = kBase + 1s) {
  return Transition{from, to, at, {}, std::nullopt};
}

std::vector<std::string> IdsOf(const std::vector<Job>& jobs) {
  std::vector<std::string> ids;
  for (const Job& job : jobs) ids.push_back(job.id);
  return ids;
}

TEST_P(JobRepositoryContract, StoresAndReadsBackEveryField) {
  Job job = MakeJob("naïve ☃ \"quoted\" 'single' \\ back");
  job.description = std::string(5000, 'd');
  job.task_params = Json{{"url", "http://example.com/?a=1&b=2"},
                         {"nested", {{"n", 1.5}}},
                         {"list", {1, "two", nullptr}},
                         {"emoji", "🙂"}};
  job.timeout = 42;
  job.run_at = kBase + 90min + 7us;
  ASSERT_TRUE(repository().CreateJob(job).ok());

  auto read = repository().GetJob(job.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->id, job.id);
  EXPECT_EQ(read->name, job.name);
  EXPECT_EQ(read->description, job.description);
  EXPECT_EQ(read->task_name, "noop");
  EXPECT_EQ(read->task_params, job.task_params);
  EXPECT_EQ(read->timeout, 42);
  EXPECT_EQ(read->status, JobStatus::kPending);
  EXPECT_EQ(read->run_at, job.run_at);
  EXPECT_EQ(read->created_at, kBase);
  EXPECT_FALSE(read->started_at.has_value());
}

TEST_P(JobRepositoryContract, UnknownAndMalformedIdsAreNotFound) {
  EXPECT_EQ(repository().GetJob(Ids().NewId()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().GetJob("not-a-uuid").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().GetPipeline("not-a-uuid").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().GetResult("not-a-uuid").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().DeleteJob(Ids().NewId()).code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().PatchJob(Ids().NewId(), {}).code(), StatusCode::kNotFound);
}

TEST_P(JobRepositoryContract, DuplicateIdIsAConflict) {
  Job job = MakeJob("a");
  ASSERT_TRUE(repository().CreateJob(job).ok());
  EXPECT_EQ(repository().CreateJob(job).code(), StatusCode::kConflict);
}

TEST_P(JobRepositoryContract, ListsOldestFirstAndFiltersByStatus) {
  Job second = MakeJob("second", kBase + 2s);
  Job first = MakeJob("first", kBase + 1s);
  Job third = MakeJob("third", kBase + 3s);
  for (const Job& job : {first, second, third}) ASSERT_TRUE(repository().CreateJob(job).ok());
  ASSERT_TRUE(repository()
                  .TransitionJob(second.id, Move(JobStatus::kPending, JobStatus::kInProgress))
                  .ok());

  EXPECT_EQ(IdsOf(*repository().ListJobs(std::nullopt)),
            (std::vector<std::string>{first.id, second.id, third.id}));
  EXPECT_EQ(IdsOf(*repository().ListJobs(JobStatus::kPending)),
            (std::vector<std::string>{first.id, third.id}));
  EXPECT_EQ(IdsOf(*repository().ListJobs(JobStatus::kInProgress)),
            (std::vector<std::string>{second.id}));
  EXPECT_TRUE(repository().ListJobs(JobStatus::kFailed)->empty());
}

TEST_P(JobRepositoryContract, PatchWritesOnlyTheFieldsItNames) {
  Job job = MakeJob("name");
  job.description = "description";
  ASSERT_TRUE(repository().CreateJob(job).ok());
  ASSERT_TRUE(repository().PatchJob(job.id, {.description = "new description"}).ok());
  EXPECT_EQ(repository().GetJob(job.id)->name, "name");
  EXPECT_EQ(repository().GetJob(job.id)->description, "new description");
  ASSERT_TRUE(repository().PatchJob(job.id, {.name = "new name"}).ok());
  EXPECT_EQ(repository().GetJob(job.id)->name, "new name");
  EXPECT_EQ(repository().GetJob(job.id)->description, "new description");
  ASSERT_TRUE(repository().PatchJob(job.id, {}).ok());  // a no-op patch still succeeds
}

TEST_P(JobRepositoryContract, PatchAndStatusChangesNeverUndoEachOther) {
  Job job = MakeJob("name");
  ASSERT_TRUE(repository().CreateJob(job).ok());
  ASSERT_TRUE(
      repository().TransitionJob(job.id, Move(JobStatus::kPending, JobStatus::kInProgress)).ok());
  ASSERT_TRUE(repository().PatchJob(job.id, {.name = "patched"}).ok());
  ASSERT_TRUE(
      repository().TransitionJob(job.id, Move(JobStatus::kInProgress, JobStatus::kCompleted)).ok());
  Job read = *repository().GetJob(job.id);
  EXPECT_EQ(read.name, "patched");
  EXPECT_EQ(read.status, JobStatus::kCompleted);
}

TEST_P(JobRepositoryContract, ConcurrentPatchesAndStatusChangesKeepBoth) {
  Job job = MakeJob("raced");
  ASSERT_TRUE(repository().CreateJob(job).ok());
  std::thread patcher([&] {
    for (int i = 0; i < 100; ++i) {
      EXPECT_TRUE(repository().PatchJob(job.id, {.description = "d" + std::to_string(i)}).ok());
    }
  });
  std::thread worker([&] {
    EXPECT_TRUE(repository().StartJob(job.id, testing::LeaseAt(kBase + 1s)).ok());
    EXPECT_TRUE(repository()
                    .TransitionJob(job.id, Transition{JobStatus::kInProgress,
                                                      JobStatus::kCompleted,
                                                      kBase + 2s,
                                                      {},
                                                      JobResult{job.id, "done", {}}})
                    .ok());
  });
  patcher.join();
  worker.join();
  Job read = *repository().GetJob(job.id);
  EXPECT_EQ(read.description, "d99");
  EXPECT_EQ(read.name, "raced");
  EXPECT_EQ(read.status, JobStatus::kCompleted);
  EXPECT_EQ(read.started_at, kBase + 1s);
  EXPECT_EQ(repository().GetResult(job.id)->metadata, "done");
}

TEST_P(JobRepositoryContract, TransitionIsACompareAndSet) {
  Job job = MakeJob("cas");
  ASSERT_TRUE(repository().CreateJob(job).ok());
  EXPECT_EQ(repository()
                .TransitionJob(job.id, Move(JobStatus::kScheduled, JobStatus::kInProgress))
                .code(),
            StatusCode::kConflict);
  EXPECT_EQ(
      repository().TransitionJob(job.id, Move(JobStatus::kPending, JobStatus::kCompleted)).code(),
      StatusCode::kConflict);  // illegal jump
  EXPECT_EQ(repository().GetJob(job.id)->status, JobStatus::kPending);

  ASSERT_TRUE(
      repository().TransitionJob(job.id, Move(JobStatus::kPending, JobStatus::kInProgress)).ok());
  EXPECT_EQ(
      repository().TransitionJob(job.id, Move(JobStatus::kPending, JobStatus::kInProgress)).code(),
      StatusCode::kConflict);
  EXPECT_EQ(repository()
                .TransitionJob(Ids().NewId(), Move(JobStatus::kPending, JobStatus::kInProgress))
                .code(),
            StatusCode::kNotFound);
}

TEST_P(JobRepositoryContract, TransitionsStampTheirTimesAndStoreTheResultWithTheStatus) {
  Job job = MakeJob("stamped");
  job.run_at = kBase;
  ASSERT_TRUE(repository().CreateJob(job).ok());
  ASSERT_TRUE(
      repository()
          .TransitionJob(job.id, Move(JobStatus::kPending, JobStatus::kScheduled, kBase + 1s))
          .ok());
  ASSERT_TRUE(
      repository()
          .TransitionJob(job.id, Move(JobStatus::kScheduled, JobStatus::kInProgress, kBase + 2s))
          .ok());
  EXPECT_EQ(repository().GetResult(job.id).status().code(), StatusCode::kNotFound);

  Transition fail{JobStatus::kInProgress, JobStatus::kFailed, kBase + 3s + 250us, "it broke",
                  JobResult{job.id, Json{{"partial", "☃"}}, "it broke"}};
  ASSERT_TRUE(repository().TransitionJob(job.id, fail).ok());

  Job read = *repository().GetJob(job.id);
  EXPECT_EQ(read.status, JobStatus::kFailed);
  EXPECT_EQ(read.scheduled_at, kBase + 1s);
  EXPECT_EQ(read.started_at, kBase + 2s);
  EXPECT_EQ(read.completed_at, kBase + 3s + 250us);
  EXPECT_EQ(read.failure_reason, "it broke");
  auto result = repository().GetResult(job.id);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->job_id, job.id);
  EXPECT_EQ(result->metadata, (Json{{"partial", "☃"}}));
  EXPECT_EQ(result->error, "it broke");
}

TEST_P(JobRepositoryContract, StartJobClaimsAPendingOrScheduledJobOnce) {
  Job pending = MakeJob("pending");
  Job scheduled = MakeJob("scheduled");
  scheduled.run_at = kBase;
  ASSERT_TRUE(repository().CreateJob(pending).ok());
  ASSERT_TRUE(repository().CreateJob(scheduled).ok());
  ASSERT_EQ(repository().ClaimDueJobs(kBase, 10)->size(), 1u);

  auto started = repository().StartJob(pending.id, testing::LeaseAt(kBase + 2s));
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_EQ(started->id, pending.id);
  EXPECT_EQ(started->name, "pending");
  EXPECT_EQ(started->status, JobStatus::kInProgress);
  EXPECT_EQ(started->started_at, kBase + 2s);
  EXPECT_EQ(repository().GetJob(pending.id)->status, JobStatus::kInProgress);
  EXPECT_EQ(repository().StartJob(pending.id, testing::LeaseAt(kBase + 3s)).status().code(),
            StatusCode::kConflict);
  EXPECT_EQ(repository().GetJob(pending.id)->started_at, kBase + 2s);

  EXPECT_TRUE(repository().StartJob(scheduled.id, testing::LeaseAt(kBase + 2s)).ok());
  EXPECT_EQ(repository().StartJob(Ids().NewId(), testing::LeaseAt(kBase)).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(repository().StartJob("not-a-uuid", testing::LeaseAt(kBase)).status().code(),
            StatusCode::kNotFound);
}

TEST_P(JobRepositoryContract, ConcurrentStartsOfOneJobHaveOneWinner) {
  for (int round = 0; round < 20; ++round) {
    Job job = MakeJob("contended");
    ASSERT_TRUE(repository().CreateJob(job).ok());
    std::atomic<int> winners{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < 4; ++t) {
      workers.emplace_back([&] {
        if (repository().StartJob(job.id, testing::LeaseAt(kBase)).ok()) ++winners;
      });
    }
    for (auto& worker : workers) worker.join();
    EXPECT_EQ(winners, 1);
  }
}

// Many writers at once, as a busy valet has them (an adapter may group them into one
// statement): each gets its own answer, a duplicate id or a missing job among them included.
TEST_P(JobRepositoryContract, ConcurrentLifecyclesEachGetTheirOwnAnswer) {
  constexpr int kThreads = 8;
  constexpr int kJobsEach = 25;
  Job existing = MakeJob("existing");
  ASSERT_TRUE(repository().CreateJob(existing).ok());
  std::atomic<int> wrong{0};
  std::mutex mutex;
  std::vector<std::string> failures;
  auto expect = [&](bool ok, const std::string& what) {
    if (ok) return;
    ++wrong;
    std::lock_guard lock(mutex);
    failures.push_back(what);
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kJobsEach; ++i) {
        Job job = MakeJob("job " + std::to_string(t) + "." + std::to_string(i));
        job.task_params = Json{{"thread", t}, {"index", i}};
        expect(repository().CreateJob(job).ok(), "create " + job.name);
        Job duplicate = MakeJob("duplicate");
        duplicate.id = existing.id;
        expect(repository().CreateJob(duplicate).code() == StatusCode::kConflict, "duplicate");
        auto started = repository().StartJob(job.id, testing::LeaseAt(kBase + 1s));
        expect(started.ok() && started->name == job.name && started->task_params == job.task_params,
               "start " + job.name);
        auto missing = repository().StartJob(Ids().NewId(), testing::LeaseAt(kBase));
        expect(missing.status().code() == StatusCode::kNotFound,
               "start of a missing job: " + missing.status().ToString());
        bool fails = i % 2 == 1;
        Transition finish = Move(JobStatus::kInProgress,
                                 fails ? JobStatus::kFailed : JobStatus::kCompleted, kBase + 2s);
        finish.result = JobResult{job.id, Json{{"by", job.name}}, fails ? "broke" : ""};
        if (fails) finish.failure_reason = "broke";
        expect(repository().TransitionJob(job.id, finish).ok(), "finish " + job.name);
        // The same finish again finds the job already moved.
        Status again = repository().TransitionJob(job.id, finish);
        expect(again.code() == StatusCode::kConflict,
               "second finish " + job.name + ": " + again.ToString());
        auto stored = repository().GetJob(job.id);
        auto result = repository().GetResult(job.id);
        expect(stored.ok() && stored->status == finish.to && stored->completed_at == kBase + 2s &&
                   stored->failure_reason == finish.failure_reason,
               "stored " + job.name);
        expect(result.ok() && result->metadata == Json{{"by", job.name}} &&
                   result->error == finish.result->error,
               "result " + job.name);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, 0) << ::testing::PrintToString(failures);
  auto all = repository().ListJobs(std::nullopt);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), static_cast<std::size_t>(kThreads * kJobsEach + 1));
}

TEST_P(JobRepositoryContract, DeletingAJobDeletesItsResult) {
  Job job = MakeJob("gone");
  ASSERT_TRUE(repository().CreateJob(job).ok());
  ASSERT_TRUE(
      repository().TransitionJob(job.id, Move(JobStatus::kPending, JobStatus::kInProgress)).ok());
  ASSERT_TRUE(repository()
                  .TransitionJob(job.id, Transition{JobStatus::kInProgress,
                                                    JobStatus::kCompleted,
                                                    kBase,
                                                    {},
                                                    JobResult{job.id, "done", {}}})
                  .ok());
  ASSERT_TRUE(repository().DeleteJob(job.id).ok());
  EXPECT_EQ(repository().GetJob(job.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().GetResult(job.id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(repository().ListJobs(std::nullopt)->empty());
}

TEST_P(JobRepositoryContract, DeleteResultKeepsTheJob) {
  Job job = MakeJob("kept");
  ASSERT_TRUE(repository().CreateJob(job).ok());
  ASSERT_TRUE(
      repository().TransitionJob(job.id, Move(JobStatus::kPending, JobStatus::kInProgress)).ok());
  ASSERT_TRUE(repository()
                  .TransitionJob(job.id, Transition{JobStatus::kInProgress,
                                                    JobStatus::kCompleted,
                                                    kBase,
                                                    {},
                                                    JobResult{job.id, 7, {}}})
                  .ok());
  ASSERT_TRUE(repository().DeleteResult(job.id).ok());
  EXPECT_EQ(repository().GetResult(job.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().DeleteResult(job.id).code(), StatusCode::kNotFound);
  EXPECT_TRUE(repository().GetJob(job.id).ok());
}

TEST_P(JobRepositoryContract, ClaimsOnlyDuePendingJobsEarliestFirst) {
  Job late = MakeJob("late");
  late.run_at = kBase + 10s;
  Job early = MakeJob("early");
  early.run_at = kBase + 5s;
  Job future = MakeJob("future");
  future.run_at = kBase + 1h;
  Job unscheduled = MakeJob("unscheduled");
  for (const Job& job : {late, early, future, unscheduled}) {
    ASSERT_TRUE(repository().CreateJob(job).ok());
  }
  EXPECT_EQ(*repository().NextDueTime(), early.run_at);

  auto claimed = repository().ClaimDueJobs(kBase + 20s, 10);
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(IdsOf(*claimed), (std::vector<std::string>{early.id, late.id}));
  EXPECT_EQ((*claimed)[0].status, JobStatus::kScheduled);
  EXPECT_EQ(repository().GetJob(early.id)->status, JobStatus::kScheduled);
  EXPECT_EQ(repository().GetJob(early.id)->scheduled_at, kBase + 20s);
  EXPECT_EQ(repository().GetJob(unscheduled.id)->status, JobStatus::kPending);
  EXPECT_TRUE(repository().ClaimDueJobs(kBase + 20s, 10)->empty());
  EXPECT_EQ(*repository().NextDueTime(), future.run_at);
}

TEST_P(JobRepositoryContract, ClaimRespectsTheLimit) {
  for (int i = 0; i < 5; ++i) {
    Job job = MakeJob("due");
    job.run_at = kBase + seconds(i);
    ASSERT_TRUE(repository().CreateJob(job).ok());
  }
  EXPECT_EQ(repository().ClaimDueJobs(kBase + 1h, 3)->size(), 3u);
  EXPECT_EQ(repository().ClaimDueJobs(kBase + 1h, 3)->size(), 2u);
  EXPECT_FALSE(repository().NextDueTime()->has_value());
}

TEST_P(JobRepositoryContract, ConcurrentClaimersTakeEachDueJobOnce) {
  constexpr int kJobs = 1000;
  for (int i = 0; i < kJobs; ++i) {
    Job job = MakeJob("due");
    job.run_at = kBase;
    ASSERT_TRUE(repository().CreateJob(job).ok());
  }
  std::mutex mutex;
  std::multiset<std::string> claimed;
  std::vector<std::thread> claimers;
  for (int t = 0; t < 4; ++t) {
    claimers.emplace_back([&] {
      while (true) {
        auto batch = repository().ClaimDueJobs(kBase + 1s, 16);
        ASSERT_TRUE(batch.ok());
        if (batch->empty()) return;
        std::lock_guard lock(mutex);
        for (const Job& job : *batch) claimed.insert(job.id);
      }
    });
  }
  for (auto& claimer : claimers) claimer.join();
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(),
            static_cast<std::size_t>(kJobs));
}

TEST_P(JobRepositoryContract, PipelineKeepsItsJobsInOrderWithTheirLinks) {
  Pipeline pipeline;
  pipeline.id = Ids().NewId();
  pipeline.name = "p";
  pipeline.description = "d";
  pipeline.created_at = kBase;
  std::vector<Job> jobs;
  for (int i = 0; i < 3; ++i) {
    jobs.push_back(MakeJob("step", kBase));  // equal creation times: order must still hold
    jobs.back().pipeline_id = pipeline.id;
  }
  jobs[0].next_job_id = jobs[1].id;
  jobs[1].previous_job_id = jobs[0].id;
  jobs[1].next_job_id = jobs[2].id;
  jobs[1].use_previous_results = true;
  jobs[2].previous_job_id = jobs[1].id;
  pipeline.job_ids = IdsOf(jobs);
  ASSERT_TRUE(repository().CreatePipeline(pipeline, jobs).ok());

  auto read = repository().GetPipeline(pipeline.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->name, "p");
  EXPECT_EQ(read->description, "d");
  EXPECT_EQ(read->status, JobStatus::kPending);
  auto listed = repository().ListPipelineJobs(pipeline.id);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(IdsOf(*listed), IdsOf(jobs));
  EXPECT_EQ((*listed)[1].previous_job_id, jobs[0].id);
  EXPECT_EQ((*listed)[1].next_job_id, jobs[2].id);
  EXPECT_TRUE((*listed)[1].use_previous_results);
  EXPECT_EQ(repository().GetJob(jobs[2].id)->pipeline_id, pipeline.id);
  EXPECT_EQ(repository().ListPipelineJobs(Ids().NewId()).status().code(), StatusCode::kNotFound);
}

TEST_P(JobRepositoryContract, DuplicatePipelineIdIsAConflictThatStoresNothing) {
  Pipeline pipeline;
  pipeline.id = Ids().NewId();
  pipeline.name = "first";
  pipeline.created_at = kBase;
  std::vector<Job> jobs = {MakeJob("a"), MakeJob("b")};
  for (Job& job : jobs) job.pipeline_id = pipeline.id;
  jobs[0].next_job_id = jobs[1].id;
  jobs[1].previous_job_id = jobs[0].id;
  pipeline.job_ids = IdsOf(jobs);
  ASSERT_TRUE(repository().CreatePipeline(pipeline, jobs).ok());

  // The same pipeline id with the same job ids (a repeated submit), and with new job ids.
  EXPECT_EQ(repository().CreatePipeline(pipeline, jobs).code(), StatusCode::kConflict);
  Pipeline again = pipeline;
  again.name = "second";
  std::vector<Job> other_jobs = {MakeJob("c"), MakeJob("d")};
  for (Job& job : other_jobs) job.pipeline_id = again.id;
  other_jobs[0].next_job_id = other_jobs[1].id;
  other_jobs[1].previous_job_id = other_jobs[0].id;
  again.job_ids = IdsOf(other_jobs);
  EXPECT_EQ(repository().CreatePipeline(again, other_jobs).code(), StatusCode::kConflict);

  EXPECT_EQ(repository().GetPipeline(pipeline.id)->name, "first");
  EXPECT_EQ(IdsOf(*repository().ListPipelineJobs(pipeline.id)), IdsOf(jobs));
  EXPECT_EQ(repository().GetJob(other_jobs[0].id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().ListJobs(std::nullopt)->size(), 2u);
}

TEST_P(JobRepositoryContract, PipelineTransitionsAreGuardedAndFilterable) {
  Pipeline first;
  first.id = Ids().NewId();
  first.name = "first";
  first.created_at = kBase;
  Pipeline second = first;
  second.id = Ids().NewId();
  second.name = "second";
  second.created_at = kBase + 1s;
  ASSERT_TRUE(repository().CreatePipeline(first, {}).ok());
  ASSERT_TRUE(repository().CreatePipeline(second, {}).ok());

  EXPECT_EQ(repository()
                .TransitionPipeline(first.id, Move(JobStatus::kInProgress, JobStatus::kCompleted))
                .code(),
            StatusCode::kConflict);
  ASSERT_TRUE(repository()
                  .TransitionPipeline(first.id,
                                      Move(JobStatus::kPending, JobStatus::kInProgress, kBase + 5s))
                  .ok());
  EXPECT_EQ(repository().GetPipeline(first.id)->started_at, kBase + 5s);

  auto listed = repository().ListPipelines(std::nullopt);
  ASSERT_TRUE(listed.ok());
  std::vector<std::string> all;
  for (const Pipeline& p : *listed) all.push_back(p.id);
  EXPECT_EQ(all, (std::vector<std::string>{first.id, second.id}));
  auto in_progress = repository().ListPipelines(JobStatus::kInProgress);
  ASSERT_EQ(in_progress->size(), 1u);
  EXPECT_EQ((*in_progress)[0].id, first.id);

  ASSERT_TRUE(repository().PatchPipeline(second.id, {.description = "patched"}).ok());
  EXPECT_EQ(repository().GetPipeline(second.id)->name, "second");
  EXPECT_EQ(repository().GetPipeline(second.id)->description, "patched");
}

TEST_P(JobRepositoryContract, DeletingAPipelineDeletesItsJobsAndResults) {
  Pipeline pipeline;
  pipeline.id = Ids().NewId();
  pipeline.name = "p";
  pipeline.created_at = kBase;
  std::vector<Job> jobs = {MakeJob("a"), MakeJob("b")};
  for (Job& job : jobs) job.pipeline_id = pipeline.id;
  jobs[0].next_job_id = jobs[1].id;
  jobs[1].previous_job_id = jobs[0].id;
  pipeline.job_ids = IdsOf(jobs);
  ASSERT_TRUE(repository().CreatePipeline(pipeline, jobs).ok());
  ASSERT_TRUE(repository()
                  .TransitionJob(jobs[0].id, Move(JobStatus::kPending, JobStatus::kInProgress))
                  .ok());
  ASSERT_TRUE(repository()
                  .TransitionJob(jobs[0].id, Transition{JobStatus::kInProgress,
                                                        JobStatus::kCompleted,
                                                        kBase,
                                                        {},
                                                        JobResult{jobs[0].id, 1, {}}})
                  .ok());

  ASSERT_TRUE(repository().DeletePipeline(pipeline.id).ok());
  EXPECT_EQ(repository().GetPipeline(pipeline.id).status().code(), StatusCode::kNotFound);
  for (const Job& job : jobs) {
    EXPECT_EQ(repository().GetJob(job.id).status().code(), StatusCode::kNotFound);
  }
  EXPECT_EQ(repository().GetResult(jobs[0].id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().DeletePipeline(pipeline.id).code(), StatusCode::kNotFound);
}

TEST_P(JobRepositoryContract, ReportsHealthy) { EXPECT_TRUE(repository().CheckHealth().ok()); }

}  // namespace
}  // namespace valet::testing
