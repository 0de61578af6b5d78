// What the Redis repository promises beyond the contract: its key layout, byte-for-byte values,
// claims shared by several instances, result expiry and its start-up errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "redis_test_support.hpp"
#include "valet/core/uuid_generator.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;
using adapters::redis::RedisJobRepository;
using adapters::redis::RedisRepositoryOptions;
using ::testing::HasSubstr;
using ::testing::Not;

const TimePoint kBase = sys_days{2030y / 1 / 1} + 123456us;

core::UuidGenerator& Ids() {
  static core::UuidGenerator ids;
  return ids;
}

Job MakeJob(std::string name) {
  Job job;
  job.id = Ids().NewId();
  job.name = std::move(name);
  job.task_name = "noop";
  job.created_at = kBase;
  return job;
}

Schedule MakeSchedule(std::string name) {
  Schedule schedule;
  schedule.id = Ids().NewId();
  schedule.name = std::move(name);
  schedule.timing = Json{{"every", "1m"}};
  schedule.target = Json{{"job", {{"name", "tick"}, {"task_name", "noop"}}}};
  schedule.next_run_at = kBase + 1min;
  schedule.created_at = kBase;
  schedule.updated_at = kBase;
  return schedule;
}

Transition Complete(const std::string& id, Json metadata) {
  return Transition{JobStatus::kInProgress,
                    JobStatus::kCompleted,
                    kBase + 1s,
                    {},
                    JobResult{id, std::move(metadata), {}}};
}

TEST(RedisRepositoryTest, TwoRepositoriesClaimEachOfManyDueJobsOnce) {
  constexpr int kJobs = 1500;
  std::string prefix = FreshPrefix();
  auto first = OpenRepository(prefix);
  auto second = OpenRepository(prefix);
  ASSERT_TRUE(first && second);
  for (int i = 0; i < kJobs; ++i) {
    Job job = MakeJob("due");
    job.run_at = kBase + milliseconds(i % 7);
    ASSERT_TRUE(first->CreateJob(job).ok());
  }
  std::mutex mutex;
  std::multiset<std::string> claimed;
  std::vector<std::thread> claimers;
  for (int t = 0; t < 6; ++t) {
    JobRepository& repository = t % 2 == 0 ? *first : *second;
    claimers.emplace_back([&] {
      while (true) {
        auto batch = repository.ClaimDueJobs(kBase + 1s, 25);
        ASSERT_TRUE(batch.ok()) << batch.status().ToString();
        if (batch->empty()) return;
        std::lock_guard lock(mutex);
        for (const Job& job : *batch) {
          EXPECT_EQ(job.status, JobStatus::kScheduled);
          claimed.insert(job.id);
        }
      }
    });
  }
  for (auto& claimer : claimers) claimer.join();
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(),
            static_cast<std::size_t>(kJobs));
  EXPECT_EQ(first->ListJobs(JobStatus::kScheduled)->size(), static_cast<std::size_t>(kJobs));
  EXPECT_TRUE(first->ListJobs(JobStatus::kPending)->empty());
  EXPECT_FALSE(second->NextDueTime()->has_value());
}

TEST(RedisRepositoryTest, OddValuesComeBackByteForByte) {
  auto repository = OpenRepository();
  ASSERT_NE(repository, nullptr);
  Job job = MakeJob(std::string("nul\0byte", 8) + " ✓ \"q\" 'q' \\ \r\n\t {tag} %s $1 *2\r\n");
  job.name += std::string(70'000, 'n');
  job.description = "ünïcödé 日本語 🙂 \xF0\x9F\x98\x80";
  job.task_params = Json{{"blob", std::string(1 << 20, 'x')},
                         {"quote\"key", "line\nbreak"},
                         {"nested", {{"deep", {1, 2.5, -3, nullptr, true}}}},
                         {"big", 9007199254740993LL}};
  ASSERT_TRUE(repository->CreateJob(job).ok());
  ASSERT_TRUE(
      repository->PatchJob(job.id, {.description = job.description + std::string("\0!", 2)}).ok());
  auto read = repository->GetJob(job.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->name, job.name);
  EXPECT_EQ(read->description, job.description + std::string("\0!", 2));
  EXPECT_EQ(read->task_params, job.task_params);
  ASSERT_TRUE(repository->StartJob(job.id, testing::LeaseAt(kBase)).ok());
  Json metadata = {{"out", job.name}};
  ASSERT_TRUE(repository->TransitionJob(job.id, Complete(job.id, metadata)).ok());
  EXPECT_EQ(repository->GetResult(job.id)->metadata, metadata);
}

TEST(RedisRepositoryTest, ScheduleNamesAreComparedByteForByte) {
  auto repository = OpenRepository();
  ASSERT_NE(repository, nullptr);
  std::string name = std::string("nul\0byte", 8) + " {tag} %s $1 *2\r\n";
  Schedule first = MakeSchedule(name);
  ASSERT_TRUE(repository->Schedules().CreateSchedule(first).ok());
  EXPECT_EQ(repository->Schedules().GetSchedule(first.id)->name, name);
  // A name that differs only by a trailing space, or only after a NUL, is another name.
  EXPECT_TRUE(repository->Schedules().CreateSchedule(MakeSchedule(name + " ")).ok());
  EXPECT_TRUE(repository->Schedules().CreateSchedule(MakeSchedule("nul")).ok());
  EXPECT_EQ(repository->Schedules().CreateSchedule(MakeSchedule(name)).code(),
            StatusCode::kConflict);
}

TEST(RedisRepositoryTest, EveryKeyCarriesThePrefixAsAHashTag) {
  std::string prefix = FreshPrefix();
  auto repository = OpenRepository(prefix);
  auto queue = OpenQueue(prefix);
  ASSERT_TRUE(repository && queue);
  Job job = MakeJob("tagged");
  job.run_at = kBase + 1h;
  ASSERT_TRUE(repository->CreateJob(job).ok());
  Job done = MakeJob("done");
  ASSERT_TRUE(repository->CreateJob(done).ok());
  ASSERT_TRUE(repository->StartJob(done.id, testing::LeaseAt(kBase)).ok());
  ASSERT_TRUE(repository->TransitionJob(done.id, Complete(done.id, 1)).ok());
  Job running = MakeJob("running");
  ASSERT_TRUE(repository->CreateJob(running).ok());
  ASSERT_TRUE(repository->StartJob(running.id, testing::LeaseAt(kBase)).ok());
  Job keyed = MakeJob("keyed");
  ASSERT_TRUE(repository->CreateJobOnce(keyed, {"k", kBase + 1h}).ok());
  Pipeline pipeline;
  pipeline.id = Ids().NewId();
  pipeline.created_at = kBase;
  ASSERT_TRUE(repository->CreatePipelineOnce(pipeline, {}, {"k", kBase + 1h}).ok());
  Schedule schedule = MakeSchedule("tagged");
  ASSERT_TRUE(repository->Schedules().CreateSchedule(schedule).ok());
  Group group;
  group.id = Ids().NewId();
  group.name = "tagged";
  group.definition = Json{{"members", Json::array()}};
  group.created_at = kBase;
  ASSERT_TRUE(repository->Groups().CreateGroup(group).ok());
  ASSERT_TRUE(queue->Push(job.id).ok());
  ASSERT_TRUE(queue->Push(done.id).ok());
  auto delivery = queue->Receive(milliseconds(500));
  ASSERT_TRUE(delivery.ok() && delivery->has_value());

  auto connection = OpenConnection();
  ASSERT_NE(connection, nullptr);
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto reply = connection->Run({"SCAN", cursor, "MATCH", "*" + prefix + "*", "COUNT", "1000"});
    ASSERT_TRUE(reply.ok());
    cursor = std::string(adapters::redis::TextOf(reply->at(0)));
    for (std::size_t i = 0; i < reply->at(1)->elements; ++i) {
      keys.emplace_back(adapters::redis::TextOf(reply->at(1)->element[i]));
    }
  } while (cursor != "0");
  std::set<std::string> names(keys.begin(), keys.end());
  std::string tag = "{" + prefix + "}:";
  for (const std::string& key : names) EXPECT_TRUE(key.starts_with(tag)) << key;
  for (const std::string& expected :
       {tag + "job:" + job.id, tag + "result:" + done.id, tag + "pipeline:" + pipeline.id,
        tag + "jobs", tag + "jobs:pending", tag + "jobs:completed", tag + "jobs:in_progress",
        tag + "jobs:due", tag + "jobs:leases", tag + "jobs:queued", tag + "idempotency:job:k",
        tag + "idempotency:pipeline:k", tag + "pipelines", tag + "pipelines:pending", tag + "seq",
        tag + "schema_version", tag + "queue:ready", tag + "queue:processing",
        tag + "queue:leases"}) {
    EXPECT_EQ(names.count(expected), 1u) << expected << " missing";
  }
  for (const std::string& expected : {tag + "schedule:" + schedule.id, tag + "schedules",
                                      tag + "schedules:due", tag + "schedules:names"}) {
    EXPECT_EQ(names.count(expected), 1u) << expected << " missing";
  }
  for (const std::string& expected :
       {tag + "group:" + group.id, tag + "groups", tag + "groups:pending"}) {
    EXPECT_EQ(names.count(expected), 1u) << expected << " missing";
  }
  // One hash slot for all of them (what Redis Cluster needs for the scripts).
  std::set<long long> slots;
  for (const std::string& key : names) {
    auto slot = connection->Run({"CLUSTER", "KEYSLOT", key});
    if (slot.ok() && !slot->IsError()) slots.insert(slot->integer());
  }
  EXPECT_LE(slots.size(), 1u);
}

TEST(RedisRepositoryTest, DeletingAJobRemovesItsResultKey) {
  std::string prefix = FreshPrefix();
  auto repository = OpenRepository(prefix);
  ASSERT_NE(repository, nullptr);
  Job job = MakeJob("gone");
  ASSERT_TRUE(repository->CreateJob(job).ok());
  ASSERT_TRUE(repository->StartJob(job.id, testing::LeaseAt(kBase)).ok());
  ASSERT_TRUE(repository->TransitionJob(job.id, Complete(job.id, "r")).ok());
  auto connection = OpenConnection();
  ASSERT_NE(connection, nullptr);
  std::string result_key = "{" + prefix + "}:result:" + job.id;
  EXPECT_EQ(connection->Run({"EXISTS", result_key})->integer(), 1);
  ASSERT_TRUE(repository->DeleteJob(job.id).ok());
  EXPECT_EQ(connection->Run({"EXISTS", result_key})->integer(), 0);
  EXPECT_EQ(connection->Run({"EXISTS", "{" + prefix + "}:job:" + job.id})->integer(), 0);
  EXPECT_EQ(connection->Run({"ZCARD", "{" + prefix + "}:jobs:completed"})->integer(), 0);
}

TEST(RedisRepositoryTest, AGroupMovesBetweenStatusIndexesAndLeavesThemWhenDeleted) {
  std::string prefix = FreshPrefix();
  auto repository = OpenRepository(prefix);
  ASSERT_NE(repository, nullptr);
  Group group;
  group.id = Ids().NewId();
  group.name = "fan out";
  group.definition = Json{{"members", Json::array()}};
  group.created_at = kBase;
  ASSERT_TRUE(repository->Groups().CreateGroup(group).ok());
  group.status = JobStatus::kFailed;
  group.completed_at = kBase + 1s;
  ASSERT_TRUE(repository->Groups().UpdateGroup(group).ok());
  auto connection = OpenConnection();
  ASSERT_NE(connection, nullptr);
  std::string tag = "{" + prefix + "}:";
  EXPECT_EQ(connection->Run({"ZCARD", tag + "groups:pending"})->integer(), 0);
  EXPECT_EQ(connection->Run({"ZSCORE", tag + "groups:failed", group.id})->text(),
            std::to_string(kBase.time_since_epoch().count()));
  ASSERT_TRUE(repository->Groups().DeleteGroup(group.id).ok());
  for (const std::string& key :
       {tag + "group:" + group.id, tag + "groups", tag + "groups:failed"}) {
    EXPECT_EQ(connection->Run({"EXISTS", key})->integer(), 0) << key;
  }
}

TEST(RedisRepositoryTest, ResultsExpireAfterTheResultTtlButJobsStay) {
  auto repository = OpenRepository(FreshPrefix(), milliseconds(300));
  ASSERT_NE(repository, nullptr);
  Job job = MakeJob("short-lived result");
  ASSERT_TRUE(repository->CreateJob(job).ok());
  ASSERT_TRUE(repository->StartJob(job.id, testing::LeaseAt(kBase)).ok());
  ASSERT_TRUE(repository->TransitionJob(job.id, Complete(job.id, "r")).ok());
  EXPECT_TRUE(repository->GetResult(job.id).ok());
  std::this_thread::sleep_for(milliseconds(600));
  EXPECT_EQ(repository->GetResult(job.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository->GetJob(job.id)->status, JobStatus::kCompleted);
}

TEST(RedisRepositoryTest, UnreachableServerIsUnavailable) {
  auto endpoint = RedisTestEndpoint();
  ASSERT_TRUE(endpoint.has_value());
  RedisRepositoryOptions options;
  options.endpoint = *endpoint;
  options.endpoint.port = 1;  // nothing listens there
  options.key_prefix = FreshPrefix();
  // Opening does not need the server: calls answer kUnavailable until it can be reached.
  auto repository = RedisJobRepository::Open(options);
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  EXPECT_EQ((*repository)->CheckHealth().code(), StatusCode::kUnavailable);
  EXPECT_EQ((*repository)->ListJobs(std::nullopt).status().code(), StatusCode::kUnavailable);
}

TEST(RedisRepositoryTest, RefusedLoginIsInvalidArgumentWithoutThePassword) {
  auto endpoint = RedisTestEndpoint();
  ASSERT_TRUE(endpoint.has_value());
  RedisRepositoryOptions options;
  options.endpoint = *endpoint;
  options.endpoint.password = "not-the-password-4711";
  options.key_prefix = FreshPrefix();
  auto repository = RedisJobRepository::Open(options);
  ASSERT_FALSE(repository.ok());
  EXPECT_EQ(repository.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(repository.status().message(), Not(HasSubstr("4711")));
}

TEST(RedisRepositoryTest, BadKeyPrefixesAreRefused) {
  auto endpoint = RedisTestEndpoint();
  ASSERT_TRUE(endpoint.has_value());
  for (const char* prefix : {"", "a{b", "a}b"}) {
    RedisRepositoryOptions options;
    options.endpoint = *endpoint;
    options.key_prefix = prefix;
    EXPECT_EQ(RedisJobRepository::Open(options).status().code(), StatusCode::kInvalidArgument)
        << prefix;
  }
}

}  // namespace
}  // namespace valet::testing
