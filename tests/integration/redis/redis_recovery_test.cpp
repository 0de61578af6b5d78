// What the Redis repository promises for leases, stranded jobs and idempotency keys beyond the
// contract: the upgrade of jobs stored before the lease and queued indexes, claims that stay
// bounded however many jobs wait for others, exact microseconds at every boundary, and keys
// that stay under the prefix's hash tag.
#include <gtest/gtest.h>

#include <set>

#include "redis_test_support.hpp"
#include "valet/core/uuid_generator.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;
using adapters::redis::RedisConnection;
using adapters::redis::TextOf;

const TimePoint kBase = sys_days{2030y / 1 / 1} + 123457us;

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

std::vector<Job> MakePipeline(Pipeline& pipeline, int count) {
  pipeline.id = Ids().NewId();
  pipeline.created_at = kBase;
  std::vector<Job> jobs;
  for (int i = 0; i < count; ++i) {
    jobs.push_back(MakeJob("step " + std::to_string(i)));
    jobs.back().pipeline_id = pipeline.id;
    if (i > 0) {
      jobs[i - 1].next_job_id = jobs[i].id;
      jobs[i].previous_job_id = jobs[i - 1].id;
    }
    pipeline.job_ids.push_back(jobs.back().id);
  }
  return jobs;
}

std::set<std::string> IdsOf(const std::vector<Job>& jobs) {
  std::set<std::string> ids;
  for (const Job& job : jobs) ids.insert(job.id);
  return ids;
}

// The members of a sorted set with their scores, as the server prints them.
std::vector<std::string> Entries(RedisConnection& connection, const std::string& key) {
  std::vector<std::string> entries;
  auto reply = connection.Run({"ZRANGE", key, "0", "-1", "WITHSCORES"});
  if (!reply.ok()) return entries;
  for (std::size_t i = 0; i < reply->size(); ++i) entries.emplace_back(TextOf(reply->at(i)));
  return entries;
}

// Makes the jobs of `prefix` look as an older valet left them: no lease or queued index, no
// schema version, and none of the fields that came with them.
void ForgetTheUpgrade(RedisConnection& connection, const std::string& prefix,
                      const std::vector<Job>& jobs) {
  std::string tag = "{" + prefix + "}:";
  ASSERT_TRUE(
      connection.Run({"DEL", tag + "jobs:leases", tag + "jobs:queued", tag + "schema_version"})
          .ok());
  for (const Job& job : jobs) {
    ASSERT_TRUE(connection
                    .Run({"HDEL", tag + "job:" + job.id, "max_retries", "attempt", "attempts",
                          "lease_token", "lease_expires_at"})
                    .ok());
  }
}

TEST(RedisRecoveryTest, OpeningUpgradesJobsStoredBeforeLeasesOnce) {
  std::string prefix = FreshPrefix();
  std::string tag = "{" + prefix + "}:";
  auto old = OpenRepository(prefix);
  auto connection = OpenConnection();
  ASSERT_TRUE(old && connection);
  Job running = MakeJob("running before leases");
  Job waiting = MakeJob("pending");
  Job queued = MakeJob("scheduled");
  queued.run_at = kBase + 1s;
  Job later = MakeJob("run_at later");
  later.run_at = kBase + 1h;
  Pipeline pipeline;
  std::vector<Job> steps = MakePipeline(pipeline, 2);
  for (const Job& job : {running, waiting, queued, later}) ASSERT_TRUE(old->CreateJob(job).ok());
  ASSERT_TRUE(old->CreatePipeline(pipeline, steps).ok());
  ASSERT_TRUE(old->StartJob(running.id, LeaseAt(kBase)).ok());
  ASSERT_EQ(old->ClaimDueJobs(kBase + 2s, 10)->size(), 1u);
  std::vector<Job> all = {running, waiting, queued, later, steps[0], steps[1]};
  ForgetTheUpgrade(*connection, prefix, all);

  auto upgraded = OpenRepository(prefix);
  ASSERT_NE(upgraded, nullptr);
  EXPECT_EQ(connection->Run({"GET", tag + "schema_version"})->text(), "2");
  // A job running since before leases has none: it counts as expired at any time.
  auto expired = upgraded->ListExpiredLeases(TimePoint{}, 10);
  ASSERT_TRUE(expired.ok()) << expired.status().ToString();
  ASSERT_EQ(IdsOf(*expired), (std::set<std::string>{running.id}));
  EXPECT_EQ((*expired)[0].lease_token, "");
  EXPECT_EQ((*expired)[0].attempt, 0);
  std::vector<std::string> leases = Entries(*connection, tag + "jobs:leases");
  ASSERT_EQ(leases.size(), 2u);
  EXPECT_EQ(leases[1], "0");
  std::vector<std::string> queued_index = Entries(*connection, tag + "jobs:queued");
  EXPECT_EQ(queued_index.size(), 2 * 3u);  // waiting, queued and the pipeline's first job

  // Again, by a later start: nothing changes.
  ASSERT_TRUE(connection->Run({"DEL", tag + "schema_version"}).ok());
  ASSERT_NE(OpenRepository(prefix), nullptr);
  EXPECT_EQ(Entries(*connection, tag + "jobs:leases"), leases);
  EXPECT_EQ(Entries(*connection, tag + "jobs:queued"), queued_index);

  auto stranded = upgraded->ClaimStrandedJobs(kBase + 1min, kBase + 2min, 10);
  ASSERT_TRUE(stranded.ok()) << stranded.status().ToString();
  EXPECT_EQ(IdsOf(*stranded), (std::set<std::string>{waiting.id, queued.id, steps[0].id}));
  EXPECT_EQ(upgraded->GetJob(later.id)->status, JobStatus::kPending);
  EXPECT_EQ(upgraded->GetJob(steps[1].id)->status, JobStatus::kPending);
  EXPECT_EQ(*upgraded->NextDueTime(), kBase + 1h);
  // A running job from before leases finishes under no fence, or under the empty token.
  Transition done{JobStatus::kInProgress, JobStatus::kCompleted, kBase + 3min, {}, std::nullopt};
  done.lease_token = "";
  ASSERT_TRUE(upgraded->TransitionJob(running.id, done).ok());
  EXPECT_TRUE(upgraded->ListExpiredLeases(kBase + 1h, 10)->empty());
}

TEST(RedisRecoveryTest, OpeningFilesJobsFinishedBeforeRetentionInTheFinishedIndexes) {
  std::string prefix = FreshPrefix();
  std::string tag = "{" + prefix + "}:";
  auto old = OpenRepository(prefix);
  auto connection = OpenConnection();
  ASSERT_TRUE(old && connection);
  Job done = MakeJob("done");
  Job waiting = MakeJob("waiting");
  Pipeline pipeline;
  std::vector<Job> steps = MakePipeline(pipeline, 2);
  for (const Job& job : {done, waiting}) ASSERT_TRUE(old->CreateJob(job).ok());
  ASSERT_TRUE(old->CreatePipeline(pipeline, steps).ok());
  Transition run{JobStatus::kPending, JobStatus::kInProgress, kBase, {}, std::nullopt};
  Transition finish{JobStatus::kInProgress, JobStatus::kCompleted, kBase + 5s, {}, std::nullopt};
  for (const Job& job : {done, steps[0]}) {
    ASSERT_TRUE(old->TransitionJob(job.id, run).ok());
    ASSERT_TRUE(old->TransitionJob(job.id, finish).ok());
  }
  ASSERT_TRUE(old->TransitionPipeline(pipeline.id, run).ok());
  ASSERT_TRUE(old->TransitionPipeline(pipeline.id, {JobStatus::kInProgress, JobStatus::kFailed,
                                                    kBase + 6s, "step failed", std::nullopt})
                  .ok());
  // As layout 1 left them: no finished indexes.
  ASSERT_TRUE(
      connection
          ->Run({"DEL", tag + "jobs:finished", tag + "pipelines:finished", tag + "schema_version"})
          .ok());

  auto upgraded = OpenRepository(prefix);
  ASSERT_NE(upgraded, nullptr);
  EXPECT_EQ(connection->Run({"GET", tag + "schema_version"})->text(), "2");
  EXPECT_EQ(*upgraded->ListFinished(FinishedKind::kJobs, kBase + 1h, 10),
            (std::vector<std::string>{done.id}));
  EXPECT_EQ(*upgraded->ListFinished(FinishedKind::kPipelines, kBase + 1h, 10),
            (std::vector<std::string>{pipeline.id}));
  EXPECT_EQ(*upgraded->NthLatestFinish(FinishedKind::kJobs, 1), kBase + 5s);
  EXPECT_EQ(Entries(*connection, tag + "jobs:finished").size(), 2u);
}

TEST(RedisRecoveryTest, StrandedClaimsSkipNoJobThatWaitsForAnother) {
  std::string prefix = FreshPrefix();
  auto repository = OpenRepository(prefix);
  auto connection = OpenConnection();
  ASSERT_TRUE(repository && connection);
  // 40 pipelines whose first jobs run and whose other 2000 jobs wait, all created first.
  for (int p = 0; p < 40; ++p) {
    Pipeline pipeline;
    std::vector<Job> steps = MakePipeline(pipeline, 51);
    ASSERT_TRUE(repository->CreatePipeline(pipeline, steps).ok());
    ASSERT_TRUE(repository->StartJob(steps[0].id, LeaseAt(kBase)).ok());
  }
  Job lost = MakeJob("lost", kBase + 1s);
  ASSERT_TRUE(repository->CreateJob(lost).ok());
  EXPECT_EQ(connection->Run({"ZCARD", "{" + prefix + "}:jobs:queued"})->integer(), 1);

  auto claimed = repository->ClaimStrandedJobs(kBase + 1min, kBase + 1min, 1);
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  EXPECT_EQ(IdsOf(*claimed), (std::set<std::string>{lost.id}));
  EXPECT_TRUE(repository->ClaimStrandedJobs(kBase + 1min, kBase + 1min, 1)->empty());
}

TEST(RedisRecoveryTest, TimesKeepTheirMicrosecondsAtEveryBoundary) {
  auto repository = OpenRepository();
  ASSERT_NE(repository, nullptr);
  Job job = MakeJob("exact");
  ASSERT_TRUE(repository->CreateJob(job).ok());
  EXPECT_TRUE(repository->ClaimStrandedJobs(kBase, kBase, 10)->empty());  // created at kBase

  const TimePoint expires = kBase + 30s + 1us;
  ASSERT_TRUE(repository->StartJob(job.id, Lease{"t", kBase, expires}).ok());
  EXPECT_EQ(repository->GetJob(job.id)->lease_expires_at, expires);
  EXPECT_TRUE(repository->ListExpiredLeases(expires - 1us, 10)->empty());
  EXPECT_EQ(repository->ListExpiredLeases(expires, 10)->size(), 1u);
  ASSERT_TRUE(repository->RenewLease(job.id, "t", expires + 1us).ok());
  EXPECT_TRUE(repository->ListExpiredLeases(expires, 10)->empty());

  Transition retry{JobStatus::kInProgress, JobStatus::kPending, kBase + 1s, "again", std::nullopt};
  retry.lease_token = "t";
  retry.run_at = kBase + 1min + 7us;
  ASSERT_TRUE(repository->TransitionJob(job.id, retry).ok());
  EXPECT_EQ(*repository->NextDueTime(), kBase + 1min + 7us);
  EXPECT_TRUE(repository->ClaimDueJobs(kBase + 1min + 6us, 10)->empty());
  ASSERT_EQ(repository->ClaimDueJobs(kBase + 1min + 7us, 10)->size(), 1u);
  EXPECT_TRUE(repository->ClaimStrandedJobs(kBase + 1min + 7us, kBase + 2min, 10)->empty());
  auto stranded = repository->ClaimStrandedJobs(kBase + 1min + 8us, kBase + 2min + 3us, 10);
  ASSERT_EQ(stranded->size(), 1u);
  EXPECT_EQ((*stranded)[0].scheduled_at, kBase + 2min + 3us);

  Job keyed = MakeJob("keyed");
  IdempotencyKey key{"k", kBase + 1h};
  ASSERT_EQ(*repository->CreateJobOnce(keyed, key), keyed.id);
  Job just_before = MakeJob("just before", kBase + 1h - 1us);
  EXPECT_EQ(*repository->CreateJobOnce(just_before, {"k", kBase + 2h}), keyed.id);
  Job at_expiry = MakeJob("at expiry", kBase + 1h);
  EXPECT_EQ(*repository->CreateJobOnce(at_expiry, {"k", kBase + 2h}), at_expiry.id);
}

TEST(RedisRecoveryTest, IdempotencyKeysOfAnyBytesStayUnderTheHashTag) {
  std::string prefix = FreshPrefix();
  auto repository = OpenRepository(prefix);
  auto connection = OpenConnection();
  ASSERT_TRUE(repository && connection);
  std::string odd = std::string("}{x} \0 ☃ *1\r\n", 15) + std::string(230, 'k');
  Job job = MakeJob("odd key");
  ASSERT_EQ(*repository->CreateJobOnce(job, {odd, kBase + 1h}), job.id);
  Pipeline pipeline;
  std::vector<Job> steps = MakePipeline(pipeline, 1);
  ASSERT_EQ(*repository->CreatePipelineOnce(pipeline, steps, {odd, kBase + 1h}), pipeline.id);
  Job again = MakeJob("same odd key");
  EXPECT_EQ(*repository->CreateJobOnce(again, {odd, kBase + 1h}), job.id);

  std::string tag = "{" + prefix + "}:";
  std::vector<std::string> keys = KeysUnder(prefix);
  std::set<std::string> names(keys.begin(), keys.end());
  EXPECT_EQ(names.count(tag + "idempotency:job:" + odd), 1u);
  EXPECT_EQ(names.count(tag + "idempotency:pipeline:" + odd), 1u);
  std::set<long long> slots;
  for (const std::string& key : names) {
    auto slot = connection->Run({"CLUSTER", "KEYSLOT", key});
    if (slot.ok() && !slot->IsError()) slots.insert(slot->integer());
  }
  EXPECT_LE(slots.size(), 1u);
}

}  // namespace
}  // namespace valet::testing
