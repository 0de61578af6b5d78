#include "repository_outage_suite.hpp"

#include <chrono>
#include <thread>

#include "valet/core/uuid_generator.hpp"

namespace valet::testing {

namespace {

using namespace std::chrono;

Job NewJob(const std::string& name) {
  static core::UuidGenerator ids;
  Job job;
  job.id = ids.NewId();
  job.name = name;
  job.task_name = "noop";
  job.created_at = sys_days{2030y / 1 / 1};
  return job;
}

// The pool reconnects on the next call after the server is back; give it up to 30 s.
bool WaitUntilHealthy(JobRepository& repository) {
  for (int i = 0; i < 300; ++i) {
    if (repository.CheckHealth().ok()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

}  // namespace

void RepositoryOutageTest::TearDown() { EXPECT_EQ(StartServers(), ""); }

TEST_P(RepositoryOutageTest, CallsAreUnavailableWhileDownAndWorkAgainAfter) {
  auto repository = GetParam().open();
  ASSERT_NE(repository, nullptr);
  Job before = NewJob("before");
  ASSERT_TRUE(repository->CreateJob(before).ok());

  ASSERT_EQ(StopServer(GetParam().server), "");
  EXPECT_EQ(repository->CheckHealth().code(), StatusCode::kUnavailable);
  EXPECT_EQ(repository->GetJob(before.id).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(repository->ListJobs(std::nullopt).status().code(), StatusCode::kUnavailable);
  Job during = NewJob("during");
  EXPECT_EQ(repository->CreateJob(during).code(), StatusCode::kUnavailable);

  ASSERT_EQ(StartServers(), "");
  ASSERT_TRUE(WaitUntilHealthy(*repository));
  auto kept = repository->GetJob(before.id);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->name, "before");
  // Nothing half-written: the refused job is not there, and can be created now.
  EXPECT_EQ(repository->GetJob(during.id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(repository->CreateJob(during).ok());
}

TEST_P(RepositoryOutageTest, OpensWhileDownAndMigratesWhenTheServerComesBack) {
  ASSERT_EQ(StopServer(GetParam().server), "");
  auto repository = GetParam().open();
  ASSERT_NE(repository, nullptr);
  Job job = NewJob("first");
  EXPECT_EQ(repository->CheckHealth().code(), StatusCode::kUnavailable);
  EXPECT_EQ(repository->CreateJob(job).code(), StatusCode::kUnavailable);

  ASSERT_EQ(StartServers(), "");
  ASSERT_TRUE(WaitUntilHealthy(*repository));
  // The first connection made the tables.
  ASSERT_TRUE(repository->CreateJob(job).ok());
  auto read = repository->GetJob(job.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->name, "first");
}

}  // namespace valet::testing
