// The parts of the JobRepository contract that keep jobs from being lost or run twice: leases
// and their fencing, retries back to PENDING, stranded jobs, pipeline hand-over and
// idempotency keys.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "job_repository_contract.hpp"
#include "valet/core/uuid_generator.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;

const TimePoint kBase = sys_days{2030y / 1 / 1} + 654321us;

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

Transition Finish(JobStatus to, std::optional<std::string> token, TimePoint at = kBase + 5s) {
  Transition transition{JobStatus::kInProgress, to, at, {}, std::nullopt};
  transition.lease_token = std::move(token);
  return transition;
}

std::vector<std::string> IdsOf(const std::vector<Job>& jobs) {
  std::vector<std::string> ids;
  for (const Job& job : jobs) ids.push_back(job.id);
  return ids;
}

// A pipeline of `count` linked jobs, stored.
std::vector<Job> StorePipeline(JobRepository& repository, int count) {
  Pipeline pipeline;
  pipeline.id = Ids().NewId();
  pipeline.name = "p";
  pipeline.created_at = kBase;
  std::vector<Job> jobs;
  for (int i = 0; i < count; ++i) {
    jobs.push_back(MakeJob("step " + std::to_string(i)));
    jobs.back().pipeline_id = pipeline.id;
  }
  for (int i = 0; i + 1 < count; ++i) {
    jobs[i].next_job_id = jobs[i + 1].id;
    jobs[i + 1].previous_job_id = jobs[i].id;
  }
  pipeline.job_ids = IdsOf(jobs);
  EXPECT_TRUE(repository.CreatePipeline(pipeline, jobs).ok());
  return jobs;
}

TEST_P(JobRepositoryContract, StartTakesTheLeaseAndCountsTheAttempt) {
  Job job = MakeJob("leased");
  job.max_retries = 3;
  ASSERT_TRUE(repository().CreateJob(job).ok());
  EXPECT_EQ(repository().GetJob(job.id)->max_retries, 3);
  EXPECT_EQ(repository().GetJob(job.id)->attempt, 0);

  auto started = repository().StartJob(job.id, LeaseAt(kBase + 1s, "token-1", 30s));
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_EQ(started->attempt, 1);
  EXPECT_EQ(started->lease_token, "token-1");
  EXPECT_EQ(started->lease_expires_at, kBase + 31s);
  Job read = *repository().GetJob(job.id);
  EXPECT_EQ(read.attempt, 1);
  EXPECT_EQ(read.lease_token, "token-1");
  EXPECT_EQ(read.lease_expires_at, kBase + 31s);
  EXPECT_EQ(read.max_retries, 3);
}

TEST_P(JobRepositoryContract, OnlyTheLeaseHolderRenewsTheLease) {
  Job job = MakeJob("renewed");
  ASSERT_TRUE(repository().CreateJob(job).ok());
  ASSERT_TRUE(repository().StartJob(job.id, LeaseAt(kBase, "mine", 10s)).ok());

  EXPECT_TRUE(repository().RenewLease(job.id, "mine", kBase + 40s).ok());
  EXPECT_EQ(repository().GetJob(job.id)->lease_expires_at, kBase + 40s);
  EXPECT_EQ(repository().RenewLease(job.id, "theirs", kBase + 50s).code(), StatusCode::kConflict);
  EXPECT_EQ(repository().GetJob(job.id)->lease_expires_at, kBase + 40s);

  ASSERT_TRUE(repository().TransitionJob(job.id, Finish(JobStatus::kCancelled, std::nullopt)).ok());
  EXPECT_EQ(repository().RenewLease(job.id, "mine", kBase + 60s).code(), StatusCode::kConflict);
  EXPECT_EQ(repository().RenewLease(Ids().NewId(), "mine", kBase).code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().RenewLease("not-a-uuid", "mine", kBase).code(), StatusCode::kNotFound);
}

TEST_P(JobRepositoryContract, AFencedWriteAppliesOnlyUnderItsLease) {
  Job job = MakeJob("fenced");
  ASSERT_TRUE(repository().CreateJob(job).ok());
  ASSERT_TRUE(repository().StartJob(job.id, LeaseAt(kBase, "current")).ok());

  Transition stale = Finish(JobStatus::kCompleted, "stale");
  stale.result = JobResult{job.id, "stale result", {}};
  EXPECT_EQ(repository().TransitionJob(job.id, stale).code(), StatusCode::kConflict);
  EXPECT_EQ(repository().GetJob(job.id)->status, JobStatus::kInProgress);
  EXPECT_EQ(repository().GetResult(job.id).status().code(), StatusCode::kNotFound);

  Transition current = Finish(JobStatus::kCompleted, "current");
  current.result = JobResult{job.id, "result", {}};
  ASSERT_TRUE(repository().TransitionJob(job.id, current).ok());
  Job read = *repository().GetJob(job.id);
  EXPECT_EQ(read.status, JobStatus::kCompleted);
  EXPECT_EQ(read.lease_token, "");
  EXPECT_FALSE(read.lease_expires_at.has_value());
  EXPECT_EQ(repository().GetResult(job.id)->metadata, "result");
}

TEST_P(JobRepositoryContract, ListsExpiredLeasesOldestFirst) {
  std::vector<Job> jobs;
  for (int i = 0; i < 4; ++i) {
    jobs.push_back(MakeJob("running " + std::to_string(i)));
    ASSERT_TRUE(repository().CreateJob(jobs.back()).ok());
  }
  // Leases running out at +30s, +10s, +20s and +100s.
  const seconds lengths[] = {30s, 10s, 20s, 100s};
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(repository()
                    .StartJob(jobs[i].id, LeaseAt(kBase, "t" + std::to_string(i), lengths[i]))
                    .ok());
  }
  Job finished = MakeJob("finished");
  ASSERT_TRUE(repository().CreateJob(finished).ok());
  ASSERT_TRUE(repository().StartJob(finished.id, LeaseAt(kBase, "tf", 1s)).ok());
  ASSERT_TRUE(repository().TransitionJob(finished.id, Finish(JobStatus::kCompleted, "tf")).ok());

  EXPECT_TRUE(repository().ListExpiredLeases(kBase + 5s, 10)->empty());
  auto expired = repository().ListExpiredLeases(kBase + 30s, 10);
  ASSERT_TRUE(expired.ok()) << expired.status().ToString();
  EXPECT_EQ(IdsOf(*expired), (std::vector<std::string>{jobs[1].id, jobs[2].id, jobs[0].id}));
  EXPECT_EQ((*expired)[0].lease_token, "t1");
  EXPECT_EQ(IdsOf(*repository().ListExpiredLeases(kBase + 30s, 2)),
            (std::vector<std::string>{jobs[1].id, jobs[2].id}));

  ASSERT_TRUE(repository().RenewLease(jobs[1].id, "t1", kBase + 60s).ok());
  EXPECT_EQ(IdsOf(*repository().ListExpiredLeases(kBase + 30s, 10)),
            (std::vector<std::string>{jobs[2].id, jobs[0].id}));
}

TEST_P(JobRepositoryContract, ARetryGoesBackToPendingAndIsDueAgain) {
  Job job = MakeJob("retried");
  job.max_retries = 2;
  ASSERT_TRUE(repository().CreateJob(job).ok());
  ASSERT_TRUE(repository().StartJob(job.id, LeaseAt(kBase + 1s, "first")).ok());

  Json attempts = Json::array({Json{{"attempt", 1}, {"error", "flaky ☃"}}});
  Transition retry = Finish(JobStatus::kPending, "first", kBase + 2s);
  retry.failure_reason = "flaky ☃";
  retry.run_at = kBase + 12s;
  retry.attempts = attempts;
  ASSERT_TRUE(repository().TransitionJob(job.id, retry).ok());

  Job waiting = *repository().GetJob(job.id);
  EXPECT_EQ(waiting.status, JobStatus::kPending);
  EXPECT_EQ(waiting.run_at, kBase + 12s);
  EXPECT_EQ(waiting.failure_reason, "flaky ☃");
  EXPECT_EQ(waiting.attempts, attempts);
  EXPECT_EQ(waiting.attempt, 1);
  EXPECT_EQ(waiting.lease_token, "");
  EXPECT_FALSE(waiting.completed_at.has_value());
  EXPECT_EQ(*repository().NextDueTime(), kBase + 12s);
  EXPECT_TRUE(repository().ListExpiredLeases(kBase + 1h, 10)->empty());

  EXPECT_TRUE(repository().ClaimDueJobs(kBase + 11s, 10)->empty());
  EXPECT_EQ(IdsOf(*repository().ClaimDueJobs(kBase + 12s, 10)), (std::vector<std::string>{job.id}));
  auto again = repository().StartJob(job.id, LeaseAt(kBase + 13s, "second"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->attempt, 2);
  EXPECT_EQ(again->lease_token, "second");
  EXPECT_EQ(again->attempts, attempts);
  EXPECT_EQ(again->started_at, kBase + 13s);
}

TEST_P(JobRepositoryContract, APipelineStepSchedulesTheNextJobInTheSameWrite) {
  std::vector<Job> jobs = StorePipeline(repository(), 3);
  ASSERT_TRUE(repository().StartJob(jobs[0].id, LeaseAt(kBase, "step")).ok());

  Transition missed = Finish(JobStatus::kCompleted, "not the lease");
  missed.schedule_next_job_id = jobs[1].id;
  EXPECT_EQ(repository().TransitionJob(jobs[0].id, missed).code(), StatusCode::kConflict);
  EXPECT_EQ(repository().GetJob(jobs[1].id)->status, JobStatus::kPending);

  Transition done = Finish(JobStatus::kCompleted, "step", kBase + 3s);
  done.result = JobResult{jobs[0].id, 1, {}};
  done.schedule_next_job_id = jobs[1].id;
  ASSERT_TRUE(repository().TransitionJob(jobs[0].id, done).ok());
  Job next = *repository().GetJob(jobs[1].id);
  EXPECT_EQ(next.status, JobStatus::kScheduled);
  EXPECT_EQ(next.scheduled_at, kBase + 3s);
  EXPECT_EQ(repository().GetJob(jobs[2].id)->status, JobStatus::kPending);
  EXPECT_EQ(repository().ListJobs(JobStatus::kScheduled)->size(), 1u);
}

TEST_P(JobRepositoryContract, ClaimsStrandedJobsOnceAndLeavesTheRest) {
  Job old_pending = MakeJob("old pending", kBase);
  Job new_pending = MakeJob("new pending", kBase + 2min);
  Job scheduled_for_later = MakeJob("run_at", kBase);
  scheduled_for_later.run_at = kBase + 1h;
  Job old_queued = MakeJob("queued long ago", kBase + 1s);
  old_queued.run_at = kBase + 2s;
  Job new_queued = MakeJob("queued just now", kBase + 2s);
  new_queued.run_at = kBase + 2min;
  for (const Job& job : {old_pending, new_pending, scheduled_for_later, old_queued, new_queued}) {
    ASSERT_TRUE(repository().CreateJob(job).ok());
  }
  ASSERT_EQ(repository().ClaimDueJobs(kBase + 10s, 10)->size(), 1u);   // old_queued
  ASSERT_EQ(repository().ClaimDueJobs(kBase + 2min, 10)->size(), 1u);  // new_queued
  std::vector<Job> pipeline = StorePipeline(repository(), 2);          // created at kBase

  TimePoint cutoff = kBase + 1min;
  auto claimed = repository().ClaimStrandedJobs(cutoff, kBase + 3min, 10);
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  std::set<std::string> ids;
  for (const Job& job : *claimed) ids.insert(job.id);
  EXPECT_EQ(ids, (std::set<std::string>{old_pending.id, old_queued.id, pipeline[0].id}));
  for (const std::string& id : ids) {
    Job read = *repository().GetJob(id);
    EXPECT_EQ(read.status, JobStatus::kScheduled) << read.name;
    EXPECT_EQ(read.scheduled_at, kBase + 3min) << read.name;
  }
  EXPECT_EQ(repository().GetJob(pipeline[1].id)->status, JobStatus::kPending);
  EXPECT_EQ(repository().GetJob(new_pending.id)->status, JobStatus::kPending);
  EXPECT_EQ(repository().GetJob(scheduled_for_later.id)->status, JobStatus::kPending);
  EXPECT_EQ(repository().GetJob(new_queued.id)->scheduled_at, kBase + 2min);

  EXPECT_TRUE(repository().ClaimStrandedJobs(cutoff, kBase + 4min, 10)->empty());
  EXPECT_EQ(repository().ClaimStrandedJobs(kBase + 10min, kBase + 10min, 2)->size(), 2u);
}

TEST_P(JobRepositoryContract, ConcurrentStrandedClaimsTakeEachJobOnce) {
  constexpr int kJobs = 200;
  for (int i = 0; i < kJobs; ++i) ASSERT_TRUE(repository().CreateJob(MakeJob("lost")).ok());
  std::mutex mutex;
  std::multiset<std::string> claimed;
  std::vector<std::thread> claimers;
  for (int t = 0; t < 4; ++t) {
    claimers.emplace_back([&] {
      while (true) {
        auto batch = repository().ClaimStrandedJobs(kBase + 1s, kBase + 1s, 8);
        ASSERT_TRUE(batch.ok()) << batch.status().ToString();
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

TEST_P(JobRepositoryContract, AnIdempotencyKeyFindsTheFirstJob) {
  Job first = MakeJob("first");
  IdempotencyKey key{"key ☃ \"1\"", kBase + 1h};
  EXPECT_EQ(*repository().CreateJobOnce(first, key), first.id);

  Job repeat = MakeJob("repeat", kBase + 10min);
  auto found = repository().CreateJobOnce(repeat, IdempotencyKey{key.key, kBase + 2h});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(*found, first.id);
  EXPECT_EQ(repository().GetJob(repeat.id).status().code(), StatusCode::kNotFound);

  Job other = MakeJob("other key");
  EXPECT_EQ(*repository().CreateJobOnce(other, IdempotencyKey{"key 2", kBase + 1h}), other.id);

  Job after_expiry = MakeJob("after expiry", kBase + 1h);
  EXPECT_EQ(*repository().CreateJobOnce(after_expiry, IdempotencyKey{key.key, kBase + 3h}),
            after_expiry.id);
  Job later = MakeJob("later", kBase + 2h);
  EXPECT_EQ(*repository().CreateJobOnce(later, IdempotencyKey{key.key, kBase + 3h}),
            after_expiry.id);

  ASSERT_TRUE(repository().DeleteJob(after_expiry.id).ok());
  Job after_delete = MakeJob("after delete", kBase + 2h);
  EXPECT_EQ(*repository().CreateJobOnce(after_delete, IdempotencyKey{key.key, kBase + 3h}),
            after_delete.id);
  EXPECT_EQ(repository().ListJobs(std::nullopt)->size(), 3u);  // first, other, after_delete
}

TEST_P(JobRepositoryContract, ConcurrentCreatesWithOneKeyStoreOneJob) {
  constexpr int kThreads = 8;
  std::vector<std::string> answers(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto created = repository().CreateJobOnce(MakeJob("racer"), {"shared key", kBase + 1h});
      answers[t] = created.ok() ? *created : "error: " + created.status().ToString();
    });
  }
  for (auto& thread : threads) thread.join();
  auto jobs = repository().ListJobs(std::nullopt);
  ASSERT_EQ(jobs->size(), 1u);
  for (const std::string& answer : answers) EXPECT_EQ(answer, (*jobs)[0].id);
}

TEST_P(JobRepositoryContract, PipelinesHaveTheirOwnIdempotencyKeys) {
  auto make = [] {
    Pipeline pipeline;
    pipeline.id = Ids().NewId();
    pipeline.name = "keyed";
    pipeline.created_at = kBase;
    std::vector<Job> jobs = {MakeJob("a"), MakeJob("b")};
    for (Job& job : jobs) job.pipeline_id = pipeline.id;
    jobs[0].next_job_id = jobs[1].id;
    jobs[1].previous_job_id = jobs[0].id;
    pipeline.job_ids = IdsOf(jobs);
    return std::pair{pipeline, jobs};
  };
  auto [first, first_jobs] = make();
  auto [second, second_jobs] = make();
  IdempotencyKey key{"same key", kBase + 1h};
  EXPECT_EQ(*repository().CreatePipelineOnce(first, first_jobs, key), first.id);
  EXPECT_EQ(*repository().CreatePipelineOnce(second, second_jobs, key), first.id);
  EXPECT_EQ(repository().GetPipeline(second.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().GetJob(second_jobs[0].id).status().code(), StatusCode::kNotFound);

  Job job = MakeJob("a job with the pipeline's key");
  EXPECT_EQ(*repository().CreateJobOnce(job, key), job.id);
  EXPECT_EQ(repository().ListPipelines(std::nullopt)->size(), 1u);
}

}  // namespace
}  // namespace valet::testing
