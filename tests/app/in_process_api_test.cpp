// valet::Valet's in-process API: jobs and pipelines submitted and waited for without HTTP, on
// the memory backends, with real workers.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "valet/valet.hpp"

namespace valet {
namespace {

using namespace std::chrono_literals;

constexpr auto kWait = 10s;

app::Config InProcessConfig() {
  app::Config config;
  config.protocols = {};  // no API server: only the calls below
  config.workers = 2;
  config.shutdown_grace_period = 2s;
  return config;
}

// Doubles params.n, or the previous job's n in a pipeline; 0 when there is neither.
TaskResult Double(TaskContext& ctx) {
  const Json& from = ctx.PreviousResult() ? *ctx.PreviousResult() : ctx.RawParams();
  int n = from.is_object() ? from.value("n", 0) : 0;
  return Json{{"n", 2 * n}};
}

// Runs until it is asked to stop, for at most five seconds.
TaskResult UntilStopped(TaskContext& ctx) {
  auto give_up = std::chrono::steady_clock::now() + 5s;
  while (!ctx.StopRequested() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(5ms);
  }
  return Cancelled("stopped");
}

class InProcessApiTest : public ::testing::Test {
 protected:
  InProcessApiTest() : valet_(InProcessConfig()) {
    valet_.RegisterTask("double", Double);
    valet_.RegisterTask("until_stopped", UntilStopped);
  }
  void SetUp() override { ASSERT_EQ(valet_.Start(), 0); }

  Valet valet_;
};

TEST_F(InProcessApiTest, ASubmittedJobRunsAndItsResultIsStored) {
  auto job =
      valet_.Submit(JobRequest{.name = "x2", .task_name = "double", .task_params = {{"n", 21}}});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->status, JobStatus::kPending);

  auto done = valet_.WaitForJob(job->id, kWait);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->status, JobStatus::kCompleted);
  auto result = valet_.GetResult(job->id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->metadata, (Json{{"n", 42}}));
}

TEST_F(InProcessApiTest, APipelinePassesResultsAndIsWaitedForAsAWhole) {
  PipelineRequest request{
      .name = "x4",
      .jobs = {{.name = "first", .task_name = "double", .task_params = {{"n", 5}}},
               {.name = "second", .task_name = "double", .use_previous_results = true}}};
  auto created = valet_.Submit(request);
  ASSERT_TRUE(created.ok()) << created.status().ToString();

  auto done = valet_.WaitForPipeline(created->pipeline.id, kWait);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->pipeline.status, JobStatus::kCompleted);
  ASSERT_EQ(done->jobs.size(), 2u);
  EXPECT_EQ(done->jobs[0].name, "first");
  auto last = valet_.GetResult(done->jobs[1].id);
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_EQ(last->metadata, (Json{{"n", 20}}));
}

TEST_F(InProcessApiTest, BadRequestsGetTheMessagesOfTheHttpApi) {
  auto unknown = valet_.Submit(JobRequest{.name = "x", .task_name = "nope"});
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message(),
            "nope is not a valid task name - valid tasks: [double until_stopped]");
  auto both = valet_.Submit(JobRequest{
      .name = "x", .task_name = "double", .run_at = "2030-01-01T00:00:00Z", .run_in = "1m"});
  EXPECT_EQ(both.status().code(), StatusCode::kInvalidArgument);
  auto bad_key = valet_.Submit(JobRequest{.name = "x", .task_name = "double"}, "line\nbreak");
  EXPECT_EQ(bad_key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(valet_.GetJob("00000000-0000-4000-8000-000000000000").status().code(),
            StatusCode::kNotFound);
}

TEST_F(InProcessApiTest, ARepeatedIdempotencyKeyReturnsTheFirstJob) {
  JobRequest request{.name = "once", .task_name = "double"};
  auto first = valet_.Submit(request, "order-17");
  auto again = valet_.Submit(request, "order-17");
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(again->id, first->id);
}

TEST_F(InProcessApiTest, WaitingGivesUpAfterItsTimeoutAndShutdownStopsTheTask) {
  auto job = valet_.Submit(JobRequest{.name = "long", .task_name = "until_stopped"});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  auto waited = valet_.WaitForJob(job->id, 100ms);
  EXPECT_EQ(waited.status().code(), StatusCode::kTimeout);
  EXPECT_EQ(waited.status().message(), "job " + job->id + " has not finished after 100 ms");

  auto started = std::chrono::steady_clock::now();
  valet_.Shutdown();
  // The task gets the grace period (2 s), is then asked to stop and returns: well inside its
  // own five seconds.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);
}

TEST_F(InProcessApiTest, CallsOutsideStartAndShutdownAreRefused) {
  EXPECT_EQ(valet_.Start(), 1);  // already running
  valet_.Shutdown();
  valet_.Shutdown();  // twice is harmless
  auto refused = valet_.Submit(JobRequest{.name = "x", .task_name = "double"});
  EXPECT_EQ(refused.status().code(), StatusCode::kConflict);
  EXPECT_EQ(refused.status().message(), "valet is not running: call Start() first");
  EXPECT_EQ(valet_.WaitForJob("any", 1s).status().code(), StatusCode::kConflict);
  // And it can run again.
  ASSERT_EQ(valet_.Start(), 0);
  auto job = valet_.Submit(JobRequest{.name = "x", .task_name = "double"});
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(valet_.WaitForJob(job->id, kWait)->status, JobStatus::kCompleted);
}

TEST_F(InProcessApiTest, AScheduleTicksAndItsJobsRun) {
  auto created = valet_.CreateSchedule(
      {.name = "doubling",
       .timing = {.every = "1s"},
       .job = JobRequest{.name = "tick", .task_name = "double", .task_params = {{"n", 4}}}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto deadline = std::chrono::steady_clock::now() + kWait;
  Result<Schedule> schedule = created;
  while (schedule.ok() && schedule->last_runs.is_null() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    schedule = valet_.GetSchedule(created->id);
  }
  ASSERT_TRUE(schedule.ok() && schedule->last_runs.is_array()) << "no tick ran";
  auto done = valet_.WaitForJob(schedule->last_runs[0].value("job_id", ""), kWait);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(valet_.GetResult(done->id)->metadata, (Json{{"n", 8}}));

  auto paused = valet_.PatchSchedule(created->id, {.paused = true});
  ASSERT_TRUE(paused.ok()) << paused.status().ToString();
  EXPECT_FALSE(paused->next_run_at.has_value());
  EXPECT_EQ(valet_.ListSchedules()->size(), 1u);
  EXPECT_TRUE(valet_.DeleteSchedule(created->id).ok());
  EXPECT_EQ(valet_.GetSchedule(created->id).status().code(), StatusCode::kNotFound);
}

TEST_F(InProcessApiTest, AGroupRunsAndItsThenJobGetsEveryResult) {
  GroupRequest request{
      .name = "doubles",
      .members = {{.job =
                       JobRequest{.name = "a", .task_name = "double", .task_params = {{"n", 1}}}},
                  {.job =
                       JobRequest{.name = "b", .task_name = "double", .task_params = {{"n", 2}}}}},
      .then = JobRequest{.name = "after", .task_name = "double"}};
  auto created = valet_.Submit(request);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto settled = valet_.WaitForGroup(created->group.id, kWait);
  ASSERT_TRUE(settled.ok()) << settled.status().ToString();
  EXPECT_EQ(settled->status, JobStatus::kCompleted);
  ASSERT_FALSE(settled->then_job_id.empty());
  auto then = valet_.WaitForJob(settled->then_job_id, kWait);
  ASSERT_TRUE(then.ok()) << then.status().ToString();
  EXPECT_EQ(then->task_params["results"], (Json::array({Json{{"n", 2}}, Json{{"n", 4}}})));
}

TEST(InProcessSchedules, SchedulesAddedInCodeAreStoredAtStartAndCheckedFirst) {
  Valet valet(InProcessConfig());
  valet.RegisterTask("double", Double);
  valet.AddSchedule({.name = "from code",
                     .timing = {.cron = "0 3 * * *", .time_zone = "UTC"},
                     .job = JobRequest{.name = "nightly", .task_name = "double"}});
  EXPECT_THROW(valet.AddSchedule({.name = "from code"}), std::invalid_argument);
  ASSERT_EQ(valet.Start(), 0);
  auto listed = valet.ListSchedules();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].origin, "code");
  EXPECT_EQ((*listed)[0].name, "from code");
  valet.Shutdown();

  Valet broken(InProcessConfig());
  broken.AddSchedule({.name = "never",
                      .timing = {.every = "1m"},
                      .job = JobRequest{.name = "x", .task_name = "not_registered"}});
  EXPECT_EQ(broken.Start(), 2);
}

}  // namespace
}  // namespace valet
