// What the MySQL repository must get right for leases and Idempotency-Keys beyond the contract:
// keys and tokens compare byte for byte (utf8mb4_bin would pad them), a key's full 255 bytes
// fit, and several processes sharing one database agree on a key's holder.
#include <gtest/gtest.h>

#include <thread>

#include "mysql_test_support.hpp"
#include "valet/core/uuid_generator.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::testing {
namespace {

using adapters::mysql::MysqlJobRepository;
using namespace std::chrono;

const TimePoint kBase = sys_days{2030y / 1 / 1} + 777us;

Job NewJob(const std::string& name) {
  static core::UuidGenerator ids;
  Job job;
  job.id = ids.NewId();
  job.name = name;
  job.task_name = "noop";
  job.created_at = kBase;
  return job;
}

TEST(MysqlRecoveryTest, KeysAndTokensCompareByteForByte) {
  auto repository = OpenFreshRepository();
  ASSERT_NE(repository, nullptr);
  Job first = NewJob("k");
  Job padded = NewJob("k and a space");
  Job upper = NewJob("K");
  EXPECT_EQ(*repository->CreateJobOnce(first, {"k", kBase + 1h}), first.id);
  EXPECT_EQ(*repository->CreateJobOnce(padded, {"k ", kBase + 1h}), padded.id);
  EXPECT_EQ(*repository->CreateJobOnce(upper, {"K", kBase + 1h}), upper.id);
  EXPECT_EQ(*repository->CreateJobOnce(NewJob("again"), {"k", kBase + 1h}), first.id);

  ASSERT_TRUE(repository->StartJob(first.id, LeaseAt(kBase, "token")).ok());
  EXPECT_EQ(repository->RenewLease(first.id, "token ", kBase + 1min).code(), StatusCode::kConflict);
  Transition stale{JobStatus::kInProgress, JobStatus::kCompleted, kBase + 1s, {}, std::nullopt};
  stale.lease_token = "token ";
  EXPECT_EQ(repository->TransitionJob(first.id, stale).code(), StatusCode::kConflict);
  EXPECT_TRUE(repository->RenewLease(first.id, "token", kBase + 1min).ok());
}

TEST(MysqlRecoveryTest, AKeyMayHaveAllOf255Bytes) {
  auto repository = OpenFreshRepository();
  ASSERT_NE(repository, nullptr);
  std::string longest;
  for (int i = 0; i < 85; ++i) longest += "☃";  // 3 bytes each
  ASSERT_EQ(longest.size(), 255u);
  Job first = NewJob("longest key");
  EXPECT_EQ(*repository->CreateJobOnce(first, {longest, kBase + 1h}), first.id);
  EXPECT_EQ(*repository->CreateJobOnce(NewJob("repeat"), {longest, kBase + 1h}), first.id);

  Job too_long = NewJob("too long");
  EXPECT_EQ(repository->CreateJobOnce(too_long, {longest + "x", kBase + 1h}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(repository->GetJob(too_long.id).status().code(), StatusCode::kNotFound);
}

TEST(MysqlRecoveryTest, TwoInstancesWithOneKeyStoreOneJob) {
  std::string database = FreshDatabase();
  auto first = MysqlJobRepository::Open(OptionsFor(database));
  auto second = MysqlJobRepository::Open(OptionsFor(database));
  ASSERT_TRUE(first.ok() && second.ok());
  for (int round = 0; round < 5; ++round) {
    std::string key = "shared " + std::to_string(round);
    std::vector<std::string> answers(8);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      JobRepository* repository = t % 2 == 0 ? first->get() : second->get();
      threads.emplace_back([&, t, repository] {
        auto created = repository->CreateJobOnce(NewJob("racer"), {key, kBase + 1h});
        answers[t] = created.ok() ? *created : "error: " + created.status().ToString();
      });
    }
    for (auto& thread : threads) thread.join();
    for (const std::string& answer : answers) EXPECT_EQ(answer, answers[0]);
  }
  EXPECT_EQ((*first)->ListJobs(std::nullopt)->size(), 5u);
}

TEST(MysqlRecoveryTest, DeletingAPipelineFreesItsKey) {
  auto repository = OpenFreshRepository();
  ASSERT_NE(repository, nullptr);
  auto make = [] {
    static core::UuidGenerator ids;
    Pipeline pipeline;
    pipeline.id = ids.NewId();
    pipeline.name = "keyed";
    pipeline.created_at = kBase;
    Job job = NewJob("only step");
    job.pipeline_id = pipeline.id;
    pipeline.job_ids = {job.id};
    return std::pair{pipeline, std::vector<Job>{job}};
  };
  auto [first, first_jobs] = make();
  auto [second, second_jobs] = make();
  IdempotencyKey key{"pipeline key", kBase + 1h};
  EXPECT_EQ(*repository->CreatePipelineOnce(first, first_jobs, key), first.id);
  ASSERT_TRUE(repository->DeletePipeline(first.id).ok());
  EXPECT_EQ(*repository->CreatePipelineOnce(second, second_jobs, key), second.id);
  EXPECT_EQ(repository->ListPipelineJobs(second.id)->size(), 1u);

  // A duplicate id under a free key stores nothing and is a conflict, as in CreatePipeline.
  auto [third, third_jobs] = make();
  third.id = second.id;
  EXPECT_EQ(
      repository->CreatePipelineOnce(third, third_jobs, {"other key", kBase + 1h}).status().code(),
      StatusCode::kConflict);
  EXPECT_EQ(repository->GetJob(third_jobs[0].id).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace valet::testing
