// What only the PostgreSQL repository has: schema migrations, several processes sharing one
// database, and values that must survive the trip through SQL unchanged.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "pg_connection.hpp"
#include "pg_migrations.hpp"
#include "postgres_test_support.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::testing {
namespace {

using adapters::postgres::PgConnection;
using adapters::postgres::PostgresJobRepository;
using adapters::postgres::PostgresOptions;
using namespace std::chrono;

PostgresOptions OptionsFor(const std::string& schema) {
  PostgresOptions options;
  options.dsn = PostgresDsn();
  options.schema = schema;
  return options;
}

std::unique_ptr<PgConnection> Connect(const std::string& schema) {
  auto connection = PgConnection::Open(PostgresDsn(), schema);
  EXPECT_TRUE(connection.ok()) << connection.status().ToString();
  return connection.ok() ? std::move(*connection) : nullptr;
}

Job NewJob(const std::string& name) {
  static core::UuidGenerator ids;
  Job job;
  job.id = ids.NewId();
  job.name = name;
  job.task_name = "noop";
  job.created_at = sys_days{2030y / 1 / 1};
  return job;
}

TEST(PostgresMigrationsTest, EmptySchemaGetsTheLatestVersion) {
  std::string schema = FreshSchema();
  auto repository = PostgresJobRepository::Open(OptionsFor(schema));
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  auto connection = Connect(schema);
  ASSERT_NE(connection, nullptr);
  EXPECT_EQ(*adapters::postgres::SchemaVersion(*connection),
            adapters::postgres::kLatestSchemaVersion);
}

TEST(PostgresMigrationsTest, OlderSchemaIsUpgradedAndKeepsItsData) {
  std::string schema = FreshSchema();
  auto connection = Connect(schema);
  ASSERT_NE(connection, nullptr);
  ASSERT_TRUE(adapters::postgres::Migrate(*connection, schema, 1).ok());
  ASSERT_EQ(*adapters::postgres::SchemaVersion(*connection), 1);
  std::string id = "6df41391-1203-4958-9a98-dc94366e1428";
  ASSERT_TRUE(connection
                  ->Execute("INSERT INTO valet_jobs (id, name, task_name, status, created_at) "
                            "VALUES ('" +
                            id + "', 'kept', 'noop', 1, now())")
                  .ok());

  auto repository = PostgresJobRepository::Open(OptionsFor(schema));
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  auto job = (*repository)->GetJob(id);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->name, "kept");
  EXPECT_EQ(*adapters::postgres::SchemaVersion(*connection),
            adapters::postgres::kLatestSchemaVersion);
  for (const char* name :
       {"valet_jobs_due", "valet_jobs_in_pipeline", "valet_jobs_leases", "valet_job_keys_by_job",
        "valet_pipeline_keys_by_pipeline", "valet_schedules_by_creation", "valet_schedules_due",
        "valet_groups_by_creation", "valet_groups_by_status"}) {
    auto index = connection->Execute(
        "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = '" +
        std::string(name) + "'");
    ASSERT_TRUE(index.ok());
    EXPECT_EQ(index->rows(), 1) << name;
  }
}

TEST(PostgresMigrationsTest, JobsFromBeforeLeasesReadAsUnleasedAndRunningOnesAsExpired) {
  std::string schema = FreshSchema();
  auto connection = Connect(schema);
  ASSERT_NE(connection, nullptr);
  ASSERT_TRUE(adapters::postgres::Migrate(*connection, schema, 3).ok());
  std::string running = "0b7a4bd2-5f0c-4a4e-9d51-3f1b2c2f9a01";
  std::string waiting = "0b7a4bd2-5f0c-4a4e-9d51-3f1b2c2f9a02";
  ASSERT_TRUE(connection
                  ->Execute("INSERT INTO valet_jobs (id, name, task_name, status, created_at, "
                            "started_at) VALUES ('" +
                            running + "', 'running', 'noop', 3, now(), now()), ('" + waiting +
                            "', 'waiting', 'noop', 1, now(), NULL)")
                  .ok());

  auto repository = PostgresJobRepository::Open(OptionsFor(schema));
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  for (const std::string& id : {running, waiting}) {
    auto job = (*repository)->GetJob(id);
    ASSERT_TRUE(job.ok()) << job.status().ToString();
    EXPECT_EQ(job->max_retries, 0);
    EXPECT_EQ(job->attempt, 0);
    EXPECT_TRUE(job->attempts.is_null());
    EXPECT_EQ(job->lease_token, "");
    EXPECT_FALSE(job->lease_expires_at.has_value());
  }
  auto expired = (*repository)->ListExpiredLeases(sys_days{2000y / 1 / 1}, 10);
  ASSERT_TRUE(expired.ok()) << expired.status().ToString();
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ((*expired)[0].id, running);
  // The recovery's fenced write: an empty token matches a job that has none.
  Transition lost{JobStatus::kInProgress, JobStatus::kPending, sys_days{2030y / 1 / 1}, {}, {}};
  lost.lease_token = "";
  EXPECT_TRUE((*repository)->TransitionJob(running, lost).ok());
  EXPECT_TRUE((*repository)->ListExpiredLeases(sys_days{2040y / 1 / 1}, 10)->empty());
}

TEST(PostgresMigrationsTest, SchemaFromBeforeSchedulesGetsTheirTable) {
  std::string schema = FreshSchema();
  auto connection = Connect(schema);
  ASSERT_NE(connection, nullptr);
  ASSERT_TRUE(adapters::postgres::Migrate(*connection, schema, 4).ok());
  auto before = connection->Execute(
      "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND "
      "tablename = 'valet_schedules'");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->rows(), 0);

  auto repository = PostgresJobRepository::Open(OptionsFor(schema));
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  EXPECT_EQ(*adapters::postgres::SchemaVersion(*connection),
            adapters::postgres::kLatestSchemaVersion);
  Schedule schedule;
  schedule.id = "5f0b6c9e-1d2a-4b8e-9c3f-7a6d5e4c3b2a";
  schedule.name = "nightly";
  schedule.timing = Json{{"every", "1h"}};
  schedule.target = Json{{"job", {{"name", "n"}, {"task_name", "noop"}}}};
  schedule.next_run_at = sys_days{2030y / 1 / 1};
  ASSERT_TRUE((*repository)->Schedules().CreateSchedule(schedule).ok());
  auto due = (*repository)->Schedules().ListDueSchedules(sys_days{2030y / 1 / 2}, 10);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].name, "nightly");
}

TEST(PostgresMigrationsTest, SchemaFromBeforeGroupsGetsTheirTable) {
  std::string schema = FreshSchema();
  auto connection = Connect(schema);
  ASSERT_NE(connection, nullptr);
  ASSERT_TRUE(adapters::postgres::Migrate(*connection, schema, 5).ok());
  const std::string table_exists =
      "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND "
      "tablename = 'valet_groups'";
  auto before = connection->Execute(table_exists);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->rows(), 0);

  auto repository = PostgresJobRepository::Open(OptionsFor(schema));
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  EXPECT_EQ(*adapters::postgres::SchemaVersion(*connection),
            adapters::postgres::kLatestSchemaVersion);
  EXPECT_EQ(connection->Execute(table_exists)->rows(), 1);
  Group group;
  group.id = "7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
  group.name = "fan out";
  group.definition = Json{{"members", {{{"job", {{"name", "a"}, {"task_name", "noop"}}}}}}};
  group.created_at = sys_days{2030y / 1 / 1};
  ASSERT_TRUE((*repository)->Groups().CreateGroup(group).ok());
  auto pending = (*repository)->Groups().ListGroups(JobStatus::kPending);
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].name, "fan out");
}

TEST(PostgresMigrationsTest, RestartKeepsEverything) {
  std::string schema = FreshSchema();
  Job job = NewJob("survivor");
  {
    auto first = PostgresJobRepository::Open(OptionsFor(schema));
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE((*first)->CreateJob(job).ok());
  }
  auto second = PostgresJobRepository::Open(OptionsFor(schema));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)->GetJob(job.id)->name, "survivor");
}

TEST(PostgresMigrationsTest, ProcessesStartingTogetherMigrateOnce) {
  std::string schema = FreshSchema();
  std::vector<std::thread> starters;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    starters.emplace_back([&] {
      auto repository = PostgresJobRepository::Open(OptionsFor(schema));
      EXPECT_TRUE(repository.ok()) << repository.status().ToString();
      if (repository.ok()) ++opened;
    });
  }
  for (auto& starter : starters) starter.join();
  EXPECT_EQ(opened, 4);
  auto connection = Connect(schema);
  ASSERT_NE(connection, nullptr);
  auto rows = connection->Execute("SELECT count(*) FROM valet_schema_migrations");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->Integer(0, 0), adapters::postgres::kLatestSchemaVersion);
}

TEST(PostgresRepositoryTest, TwoInstancesClaimEachDueJobOnce) {
  std::string schema = FreshSchema();
  auto first = PostgresJobRepository::Open(OptionsFor(schema));
  auto second = PostgresJobRepository::Open(OptionsFor(schema));
  ASSERT_TRUE(first.ok() && second.ok());
  constexpr int kJobs = 1000;
  for (int i = 0; i < kJobs; ++i) {
    Job job = NewJob("due");
    job.run_at = job.created_at;
    ASSERT_TRUE((*first)->CreateJob(job).ok());
  }
  std::mutex mutex;
  std::multiset<std::string> claimed;
  std::vector<std::thread> claimers;
  for (JobRepository* repository : {first->get(), second->get(), first->get(), second->get()}) {
    claimers.emplace_back([&, repository] {
      while (true) {
        auto batch = repository->ClaimDueJobs(sys_days{2031y / 1 / 1}, 25);
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

TEST(PostgresRepositoryTest, LargeAndOddValuesComeBackUnchanged) {
  auto repository = OpenFreshRepository();
  ASSERT_NE(repository, nullptr);
  Job job = NewJob(std::string(10'000, 'n') + " 名前 \"'; DROP TABLE valet_jobs; --");
  job.task_params = Json{{"blob", std::string(900'000, 'x')},
                         {"nul", std::string("a\0b", 3)},
                         {"unicode", "żółć 🙂 \u2028"},
                         {"big", 9007199254740993LL},
                         {"real", 0.1}};
  ASSERT_TRUE(repository->CreateJob(job).ok());
  auto read = repository->GetJob(job.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->name, job.name);
  EXPECT_EQ(read->task_params, job.task_params);
}

TEST(PostgresRepositoryTest, UnreachableServerIsUnavailable) {
  PostgresOptions options;
  options.dsn = "postgresql://valet@127.0.0.1:1/valet_test";
  options.schema = "public";
  // Opening does not need the server: calls answer kUnavailable until it can be reached.
  auto repository = PostgresJobRepository::Open(options);
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  EXPECT_EQ((*repository)->CheckHealth().code(), StatusCode::kUnavailable);
  EXPECT_EQ((*repository)->GetJob("00000000-0000-4000-8000-000000000000").status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ((*repository)->ListJobs(std::nullopt).status().code(), StatusCode::kUnavailable);
}

TEST(PostgresRepositoryTest, AMalformedDsnNeverShowsItsPasswordInErrors) {
  PostgresOptions options;
  // The '@' is missing, so libpq reads the password as the port and quotes it in its error.
  options.dsn = "postgresql://valet:S3cretPw/valet_test";
  options.schema = "public";
  auto repository = PostgresJobRepository::Open(options);
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  Status health = (*repository)->CheckHealth();
  EXPECT_EQ(health.code(), StatusCode::kUnavailable);
  EXPECT_THAT(health.message(), ::testing::HasSubstr("***")) << health.message();
  EXPECT_THAT(health.message(), ::testing::Not(::testing::HasSubstr("S3cretPw")));
}

TEST(PostgresRepositoryTest, BadSchemaNameIsRefused) {
  PostgresOptions options;
  options.dsn = PostgresDsn();
  options.schema = "x\"; DROP SCHEMA public; --";
  EXPECT_EQ(PostgresJobRepository::Open(options).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace valet::testing
