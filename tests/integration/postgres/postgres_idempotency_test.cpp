// Idempotency keys on PostgreSQL: keys are compared byte for byte, and valet instances sharing
// one database store one record per key however their creates interleave.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "postgres_test_support.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;

const TimePoint kBase = sys_days{2030y / 1 / 1};

core::UuidGenerator& Ids() {
  static core::UuidGenerator ids;
  return ids;
}

Job NewJob(TimePoint created = kBase) {
  Job job;
  job.id = Ids().NewId();
  job.name = "keyed";
  job.task_name = "noop";
  job.created_at = created;
  return job;
}

std::pair<Pipeline, std::vector<Job>> NewPipeline() {
  Pipeline pipeline;
  pipeline.id = Ids().NewId();
  pipeline.name = "keyed";
  pipeline.created_at = kBase;
  std::vector<Job> jobs = {NewJob(), NewJob()};
  for (Job& job : jobs) job.pipeline_id = pipeline.id;
  jobs[0].next_job_id = jobs[1].id;
  jobs[1].previous_job_id = jobs[0].id;
  pipeline.job_ids = {jobs[0].id, jobs[1].id};
  return {pipeline, jobs};
}

// Runs `create(repository)` on `threads` threads that alternate between two repositories
// on one schema, and returns every answer.
template <typename Create>
std::vector<std::string> RaceTwoInstances(const std::string& schema, int threads, Create create) {
  auto first = OpenRepository(schema);
  auto second = OpenRepository(schema);
  if (!first || !second) return {};
  std::vector<std::string> answers(static_cast<std::size_t>(threads));
  std::vector<std::thread> racers;
  for (int t = 0; t < threads; ++t) {
    JobRepository& repository = t % 2 == 0 ? *first : *second;
    racers.emplace_back([&, t] {
      Result<std::string> created = create(repository);
      answers[static_cast<std::size_t>(t)] =
          created.ok() ? *created : "error: " + created.status().ToString();
    });
  }
  for (auto& racer : racers) racer.join();
  return answers;
}

TEST(PostgresIdempotencyTest, KeysAreComparedByteForByte) {
  auto repository = OpenFreshRepository();
  ASSERT_NE(repository, nullptr);
  const std::string keys[] = {std::string("a\0b", 3), std::string("a\0c", 3), "a",
                              std::string("a\0", 2)};
  std::set<std::string> holders;
  for (const std::string& key : keys) {
    Job job = NewJob();
    auto created = repository->CreateJobOnce(job, {key, kBase + 1h});
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    EXPECT_EQ(*created, job.id);
    holders.insert(*created);
    EXPECT_EQ(*repository->CreateJobOnce(NewJob(kBase + 1s), {key, kBase + 1h}), job.id);
  }
  EXPECT_EQ(holders.size(), std::size(keys));
  EXPECT_EQ(repository->ListJobs(std::nullopt)->size(), std::size(keys));

  // 255 bytes of UTF-8, the longest key a client may send.
  std::string longest;
  while (longest.size() < 255) longest += "\xe2\x98\x83";
  Job job = NewJob();
  EXPECT_EQ(*repository->CreateJobOnce(job, {longest, kBase + 1h}), job.id);
  EXPECT_EQ(*repository->CreateJobOnce(NewJob(), {longest, kBase + 1h}), job.id);
}

TEST(PostgresIdempotencyTest, TwoInstancesStoreOneJobPerKey) {
  std::string schema = FreshSchema();
  std::vector<std::string> answers = RaceTwoInstances(schema, 8, [](JobRepository& repository) {
    return repository.CreateJobOnce(NewJob(), {"shared", kBase + 1h});
  });
  auto jobs = OpenRepository(schema)->ListJobs(std::nullopt);
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 1u);
  for (const std::string& answer : answers) EXPECT_EQ(answer, (*jobs)[0].id);
}

TEST(PostgresIdempotencyTest, TwoInstancesTakeOverAnExpiredKeyOnce) {
  std::string schema = FreshSchema();
  Job expired = NewJob();
  ASSERT_EQ(*OpenRepository(schema)->CreateJobOnce(expired, {"renewed", kBase + 1h}), expired.id);
  std::vector<std::string> answers = RaceTwoInstances(schema, 8, [](JobRepository& repository) {
    return repository.CreateJobOnce(NewJob(kBase + 2h), {"renewed", kBase + 3h});
  });
  ASSERT_FALSE(answers.empty());
  EXPECT_NE(answers[0], expired.id);
  for (const std::string& answer : answers) EXPECT_EQ(answer, answers[0]);
  EXPECT_EQ(OpenRepository(schema)->ListJobs(std::nullopt)->size(), 2u);
}

TEST(PostgresIdempotencyTest, TwoInstancesStoreOnePipelinePerKey) {
  std::string schema = FreshSchema();
  std::vector<std::string> answers = RaceTwoInstances(schema, 8, [](JobRepository& repository) {
    auto [pipeline, jobs] = NewPipeline();
    return repository.CreatePipelineOnce(pipeline, jobs, {"shared", kBase + 1h});
  });
  auto repository = OpenRepository(schema);
  auto pipelines = repository->ListPipelines(std::nullopt);
  ASSERT_TRUE(pipelines.ok());
  ASSERT_EQ(pipelines->size(), 1u);
  for (const std::string& answer : answers) EXPECT_EQ(answer, (*pipelines)[0].id);
  EXPECT_EQ(repository->ListJobs(std::nullopt)->size(), 2u);
}

}  // namespace
}  // namespace valet::testing
