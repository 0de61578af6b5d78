// What only the MySQL repository has: schema migrations, several processes sharing one database,
// DSN parsing, and values that must survive the trip through SQL unchanged.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "mysql_connection.hpp"
#include "mysql_migrations.hpp"
#include "mysql_test_support.hpp"
#include "valet/core/uuid_generator.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::testing {
namespace {

using adapters::mysql::MysqlJobRepository;
using adapters::mysql::MysqlOptions;
using adapters::mysql::ParseDsn;
using namespace std::chrono;

Job NewJob(const std::string& name) {
  static core::UuidGenerator ids;
  Job job;
  job.id = ids.NewId();
  job.name = name;
  job.task_name = "noop";
  job.created_at = sys_days{2030y / 1 / 1} + microseconds{123'456};
  return job;
}

TEST(MysqlDsnTest, ParsesUriAndGoForms) {
  auto uri = ParseDsn("mysql://valet:p%40ss@db.example:53306/valet_test?parseTime=true");
  ASSERT_TRUE(uri.ok()) << uri.status().ToString();
  EXPECT_EQ(uri->user, "valet");
  EXPECT_EQ(uri->password, "p@ss");
  EXPECT_EQ(uri->host, "db.example");
  EXPECT_EQ(uri->port, 53306u);
  EXPECT_EQ(uri->database, "valet_test");

  auto go = ParseDsn("valet:secret@tcp(127.0.0.1:3307)/jobs?parseTime=true");
  ASSERT_TRUE(go.ok()) << go.status().ToString();
  EXPECT_EQ(go->user, "valet");
  EXPECT_EQ(go->password, "secret");
  EXPECT_EQ(go->host, "127.0.0.1");
  EXPECT_EQ(go->port, 3307u);
  EXPECT_EQ(go->database, "jobs");

  EXPECT_EQ(ParseDsn("mysql://valet@host:notaport/db").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseDsn("valet@unix(/tmp/sock)/db").status().code(), StatusCode::kInvalidArgument);
}

TEST(MysqlDsnTest, AnErrorNeverQuotesWhatMayBeThePassword) {
  auto bad_port = ParseDsn("mysql://valet:S3cretPw@host:notaport/db");
  EXPECT_NE(bad_port.status().message().find("bad port \"notaport\""), std::string::npos)
      << bad_port.status().message();
  // No '@': the text where the address should be may hold the password.
  for (const char* dsn : {"mysql://valet:S3cretPw/db", "valet:S3cretPw/db", "S3cretPw"}) {
    auto parsed = ParseDsn(dsn);
    ASSERT_FALSE(parsed.ok()) << dsn;
    EXPECT_EQ(parsed.status().message().find("S3cretPw"), std::string::npos)
        << parsed.status().message();
  }
}

TEST(MysqlMigrationsTest, EmptyDatabaseGetsTheLatestVersion) {
  std::string database = FreshDatabase();
  auto repository = MysqlJobRepository::Open(OptionsFor(database));
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  auto connection = Connect(database);
  ASSERT_NE(connection, nullptr);
  EXPECT_EQ(*adapters::mysql::SchemaVersion(*connection), adapters::mysql::kLatestSchemaVersion);
}

TEST(MysqlMigrationsTest, OlderSchemaIsUpgradedAndKeepsItsData) {
  std::string database = FreshDatabase();
  auto connection = Connect(database);
  ASSERT_NE(connection, nullptr);
  ASSERT_TRUE(adapters::mysql::Migrate(*connection, 1).ok());
  ASSERT_EQ(*adapters::mysql::SchemaVersion(*connection), 1);
  std::string id = "6df41391-1203-4958-9a98-dc94366e1428";
  auto inserted = connection->Execute(
      "INSERT INTO valet_jobs (id, name, description, task_name, status, failure_reason, "
      "created_at) VALUES ('" +
      id + "', 'kept', '', 'noop', 1, '', 1000000)");
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();

  auto repository = MysqlJobRepository::Open(OptionsFor(database));
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  auto job = (*repository)->GetJob(id);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->name, "kept");
  EXPECT_EQ(*adapters::mysql::SchemaVersion(*connection), adapters::mysql::kLatestSchemaVersion);
  auto index = connection->Execute(
      "SELECT 1 FROM information_schema.statistics WHERE table_schema = DATABASE() AND "
      "table_name = 'valet_jobs' AND index_name = 'valet_jobs_due'");
  ASSERT_TRUE(index.ok());
  EXPECT_GE(index->rows(), 1);
}

TEST(MysqlMigrationsTest, AJobRunningBeforeLeasesIsUpgradedWithAnExpiredLease) {
  std::string database = FreshDatabase();
  auto connection = Connect(database);
  ASSERT_NE(connection, nullptr);
  ASSERT_TRUE(adapters::mysql::Migrate(*connection, 2).ok());
  std::string id = "0b9a4a8e-52f3-4c47-8a47-3d1f0e1b7a55";
  auto inserted = connection->Execute(
      "INSERT INTO valet_jobs (id, name, description, task_name, status, failure_reason, "
      "created_at, started_at) VALUES ('" +
      id + "', 'running', '', 'noop', 3, '', 1000000, 2000000)");
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();

  auto repository = MysqlJobRepository::Open(OptionsFor(database));
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  EXPECT_EQ(*adapters::mysql::SchemaVersion(*connection), adapters::mysql::kLatestSchemaVersion);
  auto job = (*repository)->GetJob(id);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->status, JobStatus::kInProgress);
  EXPECT_EQ(job->max_retries, 0);
  EXPECT_EQ(job->attempt, 0);
  EXPECT_TRUE(job->attempts.is_null());
  EXPECT_EQ(job->lease_token, "");
  EXPECT_FALSE(job->lease_expires_at.has_value());

  // Without a lease it counts as expired, and a write fenced by the empty token moves it on.
  TimePoint now = sys_days{2030y / 1 / 1};
  auto expired = (*repository)->ListExpiredLeases(now, 10);
  ASSERT_TRUE(expired.ok()) << expired.status().ToString();
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ((*expired)[0].id, id);
  Transition retry{JobStatus::kInProgress, JobStatus::kPending, now, {}, std::nullopt};
  retry.lease_token = "";
  retry.run_at = now;
  ASSERT_TRUE((*repository)->TransitionJob(id, retry).ok());
  auto due = (*repository)->ClaimDueJobs(now, 10);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, id);

  for (const char* index : {"valet_jobs_leases", "valet_jobs_unqueued", "valet_jobs_queued"}) {
    auto found = connection->Execute(
        "SELECT 1 FROM information_schema.statistics WHERE table_schema = DATABASE() AND "
        "table_name = 'valet_jobs' AND index_name = '" +
        std::string(index) + "'");
    ASSERT_TRUE(found.ok());
    EXPECT_GE(found->rows(), 1) << index;
  }
  for (const char* table : {"valet_job_keys", "valet_pipeline_keys"}) {
    auto found = connection->Execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND "
        "table_name = '" +
        std::string(table) + "'");
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(found->rows(), 1) << table;
  }
}

TEST(MysqlMigrationsTest, DatabaseFromBeforeSchedulesGetsTheirTable) {
  std::string database = FreshDatabase();
  auto connection = Connect(database);
  ASSERT_NE(connection, nullptr);
  ASSERT_TRUE(adapters::mysql::Migrate(*connection, 3).ok());
  const std::string table_exists =
      "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND "
      "table_name = 'valet_schedules'";
  auto before = connection->Execute(table_exists);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->rows(), 0);

  auto repository = MysqlJobRepository::Open(OptionsFor(database));
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  EXPECT_EQ(*adapters::mysql::SchemaVersion(*connection), adapters::mysql::kLatestSchemaVersion);
  EXPECT_EQ(connection->Execute(table_exists)->rows(), 1);
  for (const char* index :
       {"valet_schedules_by_name", "valet_schedules_by_creation", "valet_schedules_due"}) {
    auto found = connection->Execute(
        "SELECT 1 FROM information_schema.statistics WHERE table_schema = DATABASE() AND "
        "table_name = 'valet_schedules' AND index_name = '" +
        std::string(index) + "'");
    ASSERT_TRUE(found.ok());
    EXPECT_GE(found->rows(), 1) << index;
  }
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

TEST(MysqlMigrationsTest, DatabaseFromBeforeGroupsGetsTheirTable) {
  std::string database = FreshDatabase();
  auto connection = Connect(database);
  ASSERT_NE(connection, nullptr);
  ASSERT_TRUE(adapters::mysql::Migrate(*connection, 4).ok());
  const std::string table_exists =
      "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND "
      "table_name = 'valet_groups'";
  auto before = connection->Execute(table_exists);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->rows(), 0);

  auto repository = MysqlJobRepository::Open(OptionsFor(database));
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  EXPECT_EQ(*adapters::mysql::SchemaVersion(*connection), adapters::mysql::kLatestSchemaVersion);
  EXPECT_EQ(connection->Execute(table_exists)->rows(), 1);
  for (const char* index : {"valet_groups_by_creation", "valet_groups_by_status"}) {
    auto found = connection->Execute(
        "SELECT 1 FROM information_schema.statistics WHERE table_schema = DATABASE() AND "
        "table_name = 'valet_groups' AND index_name = '" +
        std::string(index) + "'");
    ASSERT_TRUE(found.ok());
    EXPECT_GE(found->rows(), 1) << index;
  }
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

TEST(MysqlMigrationsTest, RestartKeepsEverything) {
  std::string database = FreshDatabase();
  Job job = NewJob("survivor");
  {
    auto first = MysqlJobRepository::Open(OptionsFor(database));
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE((*first)->CreateJob(job).ok());
  }
  auto second = MysqlJobRepository::Open(OptionsFor(database));
  ASSERT_TRUE(second.ok());
  auto read = (*second)->GetJob(job.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->name, "survivor");
  EXPECT_EQ(read->created_at, job.created_at);
}

TEST(MysqlMigrationsTest, ProcessesStartingTogetherMigrateOnce) {
  std::string database = FreshDatabase();
  std::vector<std::thread> starters;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    starters.emplace_back([&] {
      auto repository = MysqlJobRepository::Open(OptionsFor(database));
      EXPECT_TRUE(repository.ok()) << repository.status().ToString();
      if (repository.ok()) ++opened;
    });
  }
  for (auto& starter : starters) starter.join();
  EXPECT_EQ(opened, 4);
  auto connection = Connect(database);
  ASSERT_NE(connection, nullptr);
  auto rows = connection->Execute("SELECT COUNT(*) FROM valet_schema_migrations");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->Integer(0, 0), adapters::mysql::kLatestSchemaVersion);
}

TEST(MysqlRepositoryTest, TwoInstancesClaimEachDueJobOnce) {
  std::string database = FreshDatabase();
  auto first = MysqlJobRepository::Open(OptionsFor(database));
  auto second = MysqlJobRepository::Open(OptionsFor(database));
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

TEST(MysqlRepositoryTest, TwoInstancesStartEachJobOnce) {
  std::string database = FreshDatabase();
  auto first = MysqlJobRepository::Open(OptionsFor(database));
  auto second = MysqlJobRepository::Open(OptionsFor(database));
  ASSERT_TRUE(first.ok() && second.ok());
  std::vector<Job> jobs;
  for (int i = 0; i < 100; ++i) {
    jobs.push_back(NewJob("start"));
    ASSERT_TRUE((*first)->CreateJob(jobs.back()).ok());
  }
  std::atomic<int> started{0};
  std::vector<std::thread> workers;
  for (JobRepository* repository : {first->get(), second->get(), first->get(), second->get()}) {
    workers.emplace_back([&, repository] {
      for (const Job& job : jobs) {
        auto result = repository->StartJob(job.id, testing::LeaseAt(sys_days{2031y / 1 / 1}));
        if (result.ok()) {
          ++started;
          EXPECT_EQ(result->status, JobStatus::kInProgress);
        } else {
          EXPECT_EQ(result.status().code(), StatusCode::kConflict) << result.status().ToString();
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(started, 100);
}

TEST(MysqlRepositoryTest, LargeAndOddValuesComeBackUnchanged) {
  auto repository = OpenFreshRepository();
  ASSERT_NE(repository, nullptr);
  Job job = NewJob(std::string(10'000, 'n') + " 名前 \"'; DROP TABLE valet_jobs; --\\ `x`");
  job.description = "tab\there\nnewline and NUL: " + std::string("a\0b", 3);
  job.task_params = Json{{"blob", std::string(900'000, 'x')},
                         {"nul", std::string("a\0b", 3)},
                         {"unicode", "żółć 🙂 \u2028"},
                         {"big", 9007199254740993LL},
                         {"real", 0.1}};
  ASSERT_TRUE(repository->CreateJob(job).ok());
  auto read = repository->GetJob(job.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->name, job.name);
  EXPECT_EQ(read->description, job.description);
  EXPECT_EQ(read->task_params, job.task_params);
  EXPECT_EQ(read->created_at, job.created_at);
}

TEST(MysqlRepositoryTest, ScheduleNamesAreUniqueByTheirBytesWhateverTheirLength) {
  auto repository = OpenFreshRepository();
  ASSERT_NE(repository, nullptr);
  ScheduleRepository& schedules = repository->Schedules();
  static core::UuidGenerator ids;
  auto named = [&](std::string name) {
    Schedule schedule;
    schedule.id = ids.NewId();
    schedule.name = std::move(name);
    schedule.timing = Json{{"every", "1m"}};
    schedule.target = Json{{"job", {{"name", "tick"}, {"task_name", "noop"}}}};
    return schedule;
  };
  // utf8mb4_bin pads, so a plain unique index would take these for one name.
  ASSERT_TRUE(schedules.CreateSchedule(named("k")).ok());
  EXPECT_TRUE(schedules.CreateSchedule(named("k ")).ok());
  // Longer than any index key.
  std::string long_name(20'000, 'n');
  ASSERT_TRUE(schedules.CreateSchedule(named(long_name)).ok());
  EXPECT_TRUE(schedules.CreateSchedule(named(long_name + "!")).ok());
  EXPECT_EQ(schedules.CreateSchedule(named(long_name)).code(), StatusCode::kConflict);
  EXPECT_EQ(schedules.ListSchedules()->size(), 4u);
}

TEST(MysqlRepositoryTest, UnreachableServerIsUnavailable) {
  MysqlOptions options;
  options.dsn = "mysql://valet:valet@127.0.0.1:1/valet_test";
  // Opening does not need the server: calls answer kUnavailable until it can be reached.
  auto repository = MysqlJobRepository::Open(options);
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  EXPECT_EQ((*repository)->CheckHealth().code(), StatusCode::kUnavailable);
  EXPECT_EQ((*repository)->GetJob("00000000-0000-4000-8000-000000000000").status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ((*repository)->ListJobs(std::nullopt).status().code(), StatusCode::kUnavailable);
}

TEST(MysqlRepositoryTest, BadDatabaseNameIsRefused) {
  MysqlOptions options;
  options.dsn = MysqlDsn();
  options.database = "x`; DROP DATABASE valet_test; --";
  EXPECT_EQ(MysqlJobRepository::Open(options).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace valet::testing
