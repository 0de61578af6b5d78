// Jobs with a run_at or a run_in: stored first, queued by the scheduler when due.

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

TEST_F(ScheduledJobsTest, RunInDelaysTheJobFromWhenItWasSubmitted) {
  UtcTime before = NowUtc();
  HttpReply reply =
      client().Post("/api/jobs", {{"name", "soon"}, {"task_name", "echo"}, {"run_in", "1500ms"}});
  UtcTime after = NowUtc();

  ASSERT_EQ(reply.status, 202) << reply.body;
  Json created = reply.json();
  EXPECT_EQ(created["status"], "PENDING") << reply.body;
  auto run_at = ParseUtc(created.value("run_at", ""));
  ASSERT_TRUE(run_at) << reply.body;
  EXPECT_GE(*run_at, before + std::chrono::milliseconds(1500)) << reply.body;
  EXPECT_LE(*run_at, after + std::chrono::milliseconds(1500)) << reply.body;

  Json job = WaitForJob(client(), created.value("id", ""));

  ASSERT_EQ(job["status"], "COMPLETED") << job.dump();
  auto started = ParseUtc(job.value("started_at", ""));
  ASSERT_TRUE(started) << job.dump();
  EXPECT_GE(*started, *run_at) << job.dump();
}

TEST_F(ScheduledJobsTest, RunInOnAPipelineDelaysItsFirstJob) {
  UtcTime before = NowUtc();
  Json job{{"name", "step"}, {"task_name", "noop"}};
  HttpReply reply = client().Post(
      "/api/pipelines", {{"name", "soon"}, {"run_in", "1s"}, {"jobs", Json::array({job, job})}});

  ASSERT_EQ(reply.status, 202) << reply.body;
  auto run_at = ParseUtc(reply.json().value("run_at", ""));
  ASSERT_TRUE(run_at) << reply.body;
  EXPECT_GE(*run_at, before + std::chrono::seconds(1)) << reply.body;
}

TEST_F(ScheduledJobsTest, RunInWithRunAtOrUnreadableIsABadRequestThatStoresNothing) {
  long before = CountJobs(client());
  HttpReply both = client().Post(
      "/api/jobs",
      {{"name", "x"}, {"task_name", "noop"}, {"run_at", "2030-01-01T00:00:00Z"}, {"run_in", "1m"}});
  EXPECT_EQ(ErrorMessage(both, 400),
            "run_at and run_in cannot both be given: run_at is a time, run_in a delay from now");
  HttpReply unreadable =
      client().Post("/api/jobs", {{"name", "x"}, {"task_name", "noop"}, {"run_in", "soon"}});
  EXPECT_EQ(ErrorMessage(unreadable, 400),
            "invalid run_in \"soon\": expected a duration such as 90s, 15m or 1h30m (units ms, s, "
            "m and h)");
  HttpReply number =
      client().Post("/api/jobs", {{"name", "x"}, {"task_name", "noop"}, {"run_in", 90}});
  EXPECT_EQ(ErrorMessage(number, 400), "run_in must be a string");
  EXPECT_EQ(CountJobs(client()), before);
}

}  // namespace
}  // namespace valet::e2e
