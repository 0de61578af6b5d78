// The batched calls of the JobRepository contract: StartJobs() and TransitionJobs() behave as
// their one-job twins do for each job, apart and together.
#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "job_repository_contract.hpp"
#include "valet/core/uuid_generator.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;

const TimePoint kBase = sys_days{2030y / 3 / 1} + 424242us;

core::UuidGenerator& Ids() {
  static core::UuidGenerator ids;
  return ids;
}

Job StoreJob(JobRepository& repository, std::string name) {
  Job job;
  job.id = Ids().NewId();
  job.name = std::move(name);
  job.task_name = "noop";
  job.created_at = kBase;
  EXPECT_TRUE(repository.CreateJob(job).ok());
  return job;
}

std::set<std::string> IdsOf(const std::vector<Job>& jobs) {
  std::set<std::string> ids;
  for (const Job& job : jobs) ids.insert(job.id);
  return ids;
}

Transition Complete(std::optional<std::string> token, Json metadata) {
  Transition transition{JobStatus::kInProgress, JobStatus::kCompleted, kBase + 2s, {}, {}};
  transition.lease_token = std::move(token);
  transition.result = JobResult{"", std::move(metadata), ""};
  return transition;
}

TEST_P(JobRepositoryContract, StartJobsClaimsTheStartableJobsUnderOneLease) {
  Job pending = StoreJob(repository(), "pending");
  Job scheduled = StoreJob(repository(), "scheduled");
  ASSERT_TRUE(
      repository()
          .TransitionJob(scheduled.id,
                         Transition{JobStatus::kPending, JobStatus::kScheduled, kBase, {}, {}})
          .ok());
  Job running = StoreJob(repository(), "running");
  ASSERT_TRUE(repository().StartJob(running.id, LeaseAt(kBase, "earlier")).ok());
  Job cancelled = StoreJob(repository(), "cancelled");
  ASSERT_TRUE(
      repository()
          .TransitionJob(cancelled.id,
                         Transition{JobStatus::kPending, JobStatus::kCancelled, kBase, {}, {}})
          .ok());

  auto started = repository().StartJobs(
      {pending.id, scheduled.id, running.id, cancelled.id, Ids().NewId(), "not-a-uuid", pending.id},
      LeaseAt(kBase + 1s, "batch", 30s));
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ASSERT_EQ(started->size(), 2u);
  EXPECT_EQ(IdsOf(*started), (std::set<std::string>{pending.id, scheduled.id}));
  for (const Job& job : *started) {
    EXPECT_EQ(job.status, JobStatus::kInProgress);
    EXPECT_EQ(job.attempt, 1);
    EXPECT_EQ(job.lease_token, "batch");
    EXPECT_EQ(job.lease_expires_at, kBase + 31s);
    EXPECT_EQ(job.started_at, kBase + 1s);
    EXPECT_EQ(repository().GetJob(job.id)->lease_token, "batch");
  }
  EXPECT_EQ(repository().GetJob(running.id)->lease_token, "earlier");
  EXPECT_EQ(repository().GetJob(cancelled.id)->status, JobStatus::kCancelled);
  EXPECT_EQ(repository().ListJobs(JobStatus::kInProgress)->size(), 3u);
  EXPECT_TRUE(repository().ListJobs(JobStatus::kScheduled)->empty());
  EXPECT_TRUE(repository().StartJobs({}, LeaseAt(kBase, "none"))->empty());
}

TEST_P(JobRepositoryContract, EachJobOfConcurrentStartJobsIsClaimedOnce) {
  std::vector<std::string> ids;
  for (int i = 0; i < 60; ++i) ids.push_back(StoreJob(repository(), "raced").id);
  std::vector<std::vector<std::string>> claims(3);
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      // Every thread asks for every job, in batches of 7, in its own order.
      std::vector<std::string> order = ids;
      if (t == 1) std::reverse(order.begin(), order.end());
      if (t == 2) std::rotate(order.begin(), order.begin() + 30, order.end());
      for (std::size_t i = 0; i < order.size(); i += 7) {
        std::vector<std::string> batch(
            order.begin() + static_cast<std::ptrdiff_t>(i),
            order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), i + 7)));
        auto started = repository().StartJobs(batch, LeaseAt(kBase, "thread-" + std::to_string(t)));
        ASSERT_TRUE(started.ok()) << started.status().ToString();
        for (const Job& job : *started) claims[t].push_back(job.id);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::multiset<std::string> claimed;
  for (const auto& ids_of_thread : claims)
    claimed.insert(ids_of_thread.begin(), ids_of_thread.end());
  EXPECT_EQ(claimed.size(), ids.size());
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()),
            std::set<std::string>(ids.begin(), ids.end()));
}

TEST_P(JobRepositoryContract, TransitionJobsAppliesEachChangeOnItsOwn) {
  Job fenced = StoreJob(repository(), "fenced");
  Job stale = StoreJob(repository(), "stale lease");
  Job gone = StoreJob(repository(), "cancelled meanwhile");
  Job retried = StoreJob(repository(), "retried");
  Job other = StoreJob(repository(), "pending");
  auto started =
      repository().StartJobs({fenced.id, stale.id, gone.id, retried.id}, LeaseAt(kBase, "lease"));
  ASSERT_TRUE(started.ok());
  ASSERT_EQ(started->size(), 4u);
  ASSERT_TRUE(repository()
                  .TransitionJob(
                      gone.id, Transition{JobStatus::kInProgress, JobStatus::kCancelled, kBase,
                                          "by request", JobResult{gone.id, nullptr, "by request"}})
                  .ok());

  Transition retry{JobStatus::kInProgress, JobStatus::kPending, kBase + 2s, "broke", {}};
  retry.lease_token = "lease";
  retry.run_at = kBase + 1min;
  retry.attempts = Json::array({{{"attempt", 1}, {"error", "broke"}}});
  Transition illegal{JobStatus::kPending, JobStatus::kCompleted, kBase + 2s, {}, {}};
  std::vector<JobTransition> changes{
      {fenced.id, Complete("lease", Json{{"n", "naïve \"quoted\" \\ 🙂"}})},
      {stale.id, Complete("another lease", "stale")},
      {gone.id, Complete("lease", "too late")},
      {retried.id, retry},
      {other.id, illegal},
      {Ids().NewId(), Complete(std::nullopt, nullptr)},
      {"not-a-uuid", Complete(std::nullopt, nullptr)}};
  auto applied = repository().TransitionJobs(changes);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, (std::vector<bool>{true, false, false, true, false, false, false}));

  Job done = *repository().GetJob(fenced.id);
  EXPECT_EQ(done.status, JobStatus::kCompleted);
  EXPECT_EQ(done.completed_at, kBase + 2s);
  EXPECT_EQ(done.lease_token, "");
  EXPECT_EQ(repository().GetResult(fenced.id)->metadata,
            (Json{{"n", "naïve \"quoted\" \\ 🙂"}}));
  EXPECT_EQ(repository().GetJob(stale.id)->status, JobStatus::kInProgress);
  EXPECT_EQ(repository().GetResult(stale.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().GetJob(gone.id)->status, JobStatus::kCancelled);
  EXPECT_EQ(repository().GetResult(gone.id)->error, "by request");
  Job again = *repository().GetJob(retried.id);
  EXPECT_EQ(again.status, JobStatus::kPending);
  EXPECT_EQ(again.run_at, kBase + 1min);
  EXPECT_EQ(again.attempts, retry.attempts);
  EXPECT_EQ(repository().NextDueTime()->value_or(TimePoint{}), kBase + 1min);
  EXPECT_EQ(repository().GetJob(other.id)->status, JobStatus::kPending);
  EXPECT_EQ(repository().ListJobs(JobStatus::kCompleted)->size(), 1u);
  EXPECT_TRUE(repository().TransitionJobs({})->empty());
}

TEST_P(JobRepositoryContract, TransitionJobsStoresManyOutcomesAtOnce) {
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back(StoreJob(repository(), "many").id);
  ASSERT_EQ(repository().StartJobs(ids, LeaseAt(kBase, "many"))->size(), ids.size());
  std::vector<JobTransition> changes;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    changes.push_back({ids[i], Complete("many", static_cast<int>(i))});
  }
  auto applied = repository().TransitionJobs(changes);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(std::count(applied->begin(), applied->end(), true), 300);
  EXPECT_EQ(repository().ListJobs(JobStatus::kCompleted)->size(), 300u);
  EXPECT_EQ(repository().GetResult(ids[123])->metadata, 123);
  EXPECT_TRUE(repository().ListJobs(JobStatus::kInProgress)->empty());
}

TEST_P(JobRepositoryContract, CreateJobsStoresEveryJobInOrder) {
  std::vector<Job> jobs;
  for (int i = 0; i < 50; ++i) {
    Job job;
    job.id = Ids().NewId();
    job.name = "batch " + std::to_string(i);
    job.task_name = "noop";
    job.task_params = Json{{"i", i}, {"text", "naïve \"quoted\" \\ 🙂"}};
    job.created_at = kBase;  // one timestamp: the batch's order decides
    if (i == 7) job.run_at = kBase + 1h;
    jobs.push_back(job);
  }
  ASSERT_TRUE(repository().CreateJobs(jobs).ok());
  auto listed = repository().ListJobs(std::nullopt);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    EXPECT_EQ((*listed)[i].id, jobs[i].id);
    EXPECT_EQ((*listed)[i].task_params, jobs[i].task_params);
  }
  EXPECT_EQ(repository().GetJob(jobs[7].id)->run_at, kBase + 1h);
  EXPECT_EQ(repository().NextDueTime()->value_or(TimePoint{}), kBase + 1h);
  EXPECT_EQ(repository().ListJobs(JobStatus::kPending)->size(), jobs.size());
  EXPECT_TRUE(repository().CreateJobs({}).ok());
}

TEST_P(JobRepositoryContract, CreateJobsStoresNothingWhenOneIdIsTaken) {
  Job existing = StoreJob(repository(), "existing");
  Job fresh;
  fresh.id = Ids().NewId();
  fresh.name = "fresh";
  fresh.task_name = "noop";
  fresh.created_at = kBase;
  EXPECT_EQ(repository().CreateJobs({fresh, existing}).code(), StatusCode::kConflict);
  EXPECT_EQ(repository().GetJob(fresh.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().CreateJobs({fresh, fresh}).code(), StatusCode::kConflict);
  EXPECT_EQ(repository().GetJob(fresh.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().ListJobs(std::nullopt)->size(), 1u);
}

TEST_P(JobRepositoryContract, ProgressIsStoredUnderTheLeaseAndClearedByTheNextAttempt) {
  Job job = StoreJob(repository(), "progress");
  EXPECT_EQ(repository().SetProgress(job.id, "none", Json{{"fraction", 0.1}}).code(),
            StatusCode::kConflict);
  ASSERT_TRUE(repository().StartJob(job.id, LeaseAt(kBase, "first")).ok());
  Json progress{{"fraction", 0.4}, {"message", "copied 4/10 – naïve \"quoted\""}};
  ASSERT_TRUE(repository().SetProgress(job.id, "first", progress).ok());
  EXPECT_EQ(repository().GetJob(job.id)->progress, progress);
  EXPECT_EQ(repository().SetProgress(job.id, "stale", Json{{"fraction", 0.9}}).code(),
            StatusCode::kConflict);
  EXPECT_EQ(repository().GetJob(job.id)->progress, progress);
  EXPECT_EQ(repository().SetProgress(Ids().NewId(), "first", progress).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(repository().SetProgress("not-a-uuid", "first", progress).code(),
            StatusCode::kNotFound);

  // A retry: the next attempt starts without the last one's progress.
  Transition retry{JobStatus::kInProgress, JobStatus::kPending, kBase + 1s, "broke", {}};
  retry.lease_token = "first";
  retry.run_at = kBase + 2s;
  ASSERT_TRUE(repository().TransitionJob(job.id, retry).ok());
  EXPECT_EQ(repository().GetJob(job.id)->progress, progress) << "kept until the next attempt";
  auto again = repository().StartJobs({job.id}, LeaseAt(kBase + 3s, "second"));
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_TRUE(again->front().progress.is_null());
  EXPECT_TRUE(repository().GetJob(job.id)->progress.is_null());
}

}  // namespace
}  // namespace valet::testing
