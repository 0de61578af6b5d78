// Jobs with a run_at: stored first, queued by the scheduler when due.

#include <gtest/gtest.h>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

constexpr std::chrono::seconds kAhead{1};

class ScheduledJobsTest : public ValetdTest {};

TEST_F(ScheduledJobsTest, JobRunsNoEarlierThanRunAt) {
  UtcTime run_at = NowUtc() + kAhead;
  HttpReply reply = client().Post(
      "/api/jobs", {{"name", "later"}, {"task_name", "echo"}, {"run_at", FormatRfc3339(run_at)}});

  ASSERT_EQ(reply.status, 202) << reply.body;
  Json created = reply.json();
  EXPECT_EQ(created["status"], "PENDING") << reply.body;
  EXPECT_EQ(ParseUtc(created.value("run_at", "")), run_at) << reply.body;
  EXPECT_FALSE(created.contains("scheduled_at")) << reply.body;

  Json job = WaitForJob(client(), created.value("id", ""));

  ASSERT_EQ(job["status"], "COMPLETED") << job.dump();
  auto scheduled = ParseUtc(job.value("scheduled_at", ""));
  auto started = ParseUtc(job.value("started_at", ""));
  ASSERT_TRUE(scheduled && started) << job.dump();
  EXPECT_GE(*scheduled, run_at) << job.dump();
  EXPECT_GE(*started, run_at) << job.dump();
  EXPECT_LE(*scheduled, *started) << job.dump();
  EXPECT_EQ(ParseUtc(job.value("run_at", "")), run_at) << job.dump();
}

TEST_F(ScheduledJobsTest, RunAtWithAZoneOffsetIsTheSameInstantInUtc) {
  UtcTime run_at = NowUtc() + kAhead;
  std::string with_offset = FormatRfc3339(run_at, -(5 * 60 + 30));
  HttpReply reply = client().Post(
      "/api/jobs", {{"name", "later"}, {"task_name", "noop"}, {"run_at", with_offset}});

  ASSERT_EQ(reply.status, 202) << reply.body;
  Json created = reply.json();
  EXPECT_EQ(ParseUtc(created.value("run_at", "")), run_at) << with_offset << " -> " << reply.body;

  Json job = WaitForJob(client(), created.value("id", ""));

  ASSERT_EQ(job["status"], "COMPLETED") << job.dump();
  auto started = ParseUtc(job.value("started_at", ""));
  ASSERT_TRUE(started) << job.dump();
  EXPECT_GE(*started, run_at) << job.dump();
}

TEST_F(ScheduledJobsTest, RunAtInThePastRunsAtOnce) {
  UtcTime run_at = NowUtc() - std::chrono::hours(1);
  std::string id = SubmitJob(
      client(),
      {{"name", "overdue"}, {"task_name", "dummytask"}, {"run_at", FormatRfc3339(run_at)}});
  ASSERT_FALSE(id.empty());

  Json job = WaitForJob(client(), id);

  EXPECT_EQ(job["status"], "COMPLETED") << job.dump();
  EXPECT_TRUE(ParseUtc(job.value("scheduled_at", ""))) << job.dump();
}

}  // namespace
}  // namespace valet::e2e
