#include "schedule_messages.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace valet::adapters::grpc {
namespace {

using std::chrono::microseconds;

Schedule JobSchedule() {
  Schedule schedule;
  schedule.id = "0b8f6c1e-4a52-4f0e-9d55-0d9c1a3b7e21";
  schedule.name = "nightly";
  schedule.description = "every night";
  schedule.timing = Json{{"cron", "0 3 * * *"}, {"time_zone", "Europe/Berlin"}, {"missed", "skip"}};
  schedule.target = Json{{"job",
                          {{"name", "report"},
                           {"task_name", "echo"},
                           {"task_params", {{"n", 7}}},
                           {"timeout", 30},
                           {"max_retries", 0}}}};
  schedule.next_run_at = TimePoint{microseconds{5'000'000}};
  schedule.last_runs = Json::array(
      {Json{{"tick", "1970-01-01T00:00:04Z"},
            {"submitted_at", "1970-01-01T00:00:04.25Z"},
            {"job_id", "9a1c"},
            {"missed", 2}},
       Json{{"tick", "1970-01-01T00:00:03Z"}, {"submitted_at", "bad"}, {"error", "no task"}}});
  schedule.origin = "config";
  schedule.created_at = TimePoint{microseconds{1'000'000}};
  schedule.updated_at = TimePoint{microseconds{2'500'000}};
  return schedule;
}

TEST(ScheduleMessagesTest, AJobScheduleShowsItsTimingTargetAndRuns) {
  ::schedule::GetScheduleResponse view;
  ToProto(JobSchedule(), &view);
  EXPECT_EQ(view.id(), "0b8f6c1e-4a52-4f0e-9d55-0d9c1a3b7e21");
  EXPECT_EQ(view.name(), "nightly");
  EXPECT_EQ(view.description(), "every night");
  EXPECT_EQ(view.cron(), "0 3 * * *");
  EXPECT_EQ(view.every(), "");
  EXPECT_EQ(view.time_zone(), "Europe/Berlin");
  EXPECT_EQ(view.missed(), "skip");
  ASSERT_TRUE(view.has_job());
  EXPECT_EQ(view.job().name(), "report");
  EXPECT_EQ(view.job().task_name(), "echo");
  EXPECT_EQ(view.job().task_params().fields().at("n").number_value(), 7);
  EXPECT_EQ(view.job().timeout(), 30);
  ASSERT_TRUE(view.job().has_max_retries());
  EXPECT_EQ(view.job().max_retries(), 0);
  EXPECT_FALSE(view.paused());
  EXPECT_EQ(view.next_run_at().seconds(), 5);
  EXPECT_EQ(view.origin(), "config");
  EXPECT_EQ(view.created_at().seconds(), 1);
  EXPECT_EQ(view.updated_at().nanos(), 500'000'000);

  ASSERT_EQ(view.last_runs_size(), 2);
  EXPECT_EQ(view.last_runs(0).tick().seconds(), 4);
  EXPECT_EQ(view.last_runs(0).submitted_at().nanos(), 250'000'000);
  EXPECT_EQ(view.last_runs(0).job_id(), "9a1c");
  EXPECT_EQ(view.last_runs(0).missed(), 2);
  EXPECT_EQ(view.last_runs(1).error(), "no task");
  EXPECT_FALSE(view.last_runs(1).has_submitted_at());  // unreadable: left unset
  EXPECT_EQ(view.last_runs(1).missed(), 0);
}

TEST(ScheduleMessagesTest, APausedPipelineScheduleHasNoNextRun) {
  Schedule schedule = JobSchedule();
  schedule.timing = Json{{"every", "90s"}, {"missed", "run_once"}};
  schedule.target =
      Json{{"pipeline",
            {{"name", "chain"},
             {"jobs",
              {{{"name", "a"}, {"task_name", "echo"}},
               {{"name", "b"}, {"task_name", "echo"}, {"use_previous_results", true}}}}}}};
  schedule.paused = true;
  schedule.next_run_at.reset();
  schedule.last_runs = nullptr;
  ::schedule::GetScheduleResponse view;
  ToProto(schedule, &view);
  EXPECT_EQ(view.every(), "90s");
  EXPECT_EQ(view.cron(), "");
  EXPECT_EQ(view.missed(), "run_once");
  EXPECT_FALSE(view.has_job());
  ASSERT_TRUE(view.has_pipeline());
  EXPECT_EQ(view.pipeline().name(), "chain");
  ASSERT_EQ(view.pipeline().jobs_size(), 2);
  EXPECT_FALSE(view.pipeline().jobs(0).has_task_params());
  EXPECT_FALSE(view.pipeline().jobs(0).has_max_retries());
  EXPECT_TRUE(view.pipeline().jobs(1).use_previous_results());
  EXPECT_TRUE(view.paused());
  EXPECT_FALSE(view.has_next_run_at());
  EXPECT_EQ(view.last_runs_size(), 0);
}

TEST(ScheduleMessagesTest, ACreateRequestBecomesACoreRequest) {
  ::schedule::CreateScheduleRequest request;
  request.set_name("s");
  request.set_description("d");
  request.set_every("1m");
  request.set_time_zone("UTC");
  request.set_missed("run_once");
  request.set_paused(true);
  request.mutable_job()->set_name("j");
  request.mutable_job()->set_task_name("echo");
  (*request.mutable_job()->mutable_task_params()->mutable_fields())["k"].set_number_value(3);
  auto schedule = ToScheduleRequest(request);
  ASSERT_TRUE(schedule.ok()) << schedule.status().message();
  EXPECT_EQ(schedule->name, "s");
  EXPECT_EQ(schedule->description, "d");
  EXPECT_EQ(schedule->timing.every, "1m");
  EXPECT_EQ(schedule->timing.cron, "");
  EXPECT_EQ(schedule->timing.time_zone, "UTC");
  EXPECT_EQ(schedule->timing.missed, "run_once");
  EXPECT_TRUE(schedule->paused);
  ASSERT_TRUE(schedule->job.has_value());
  EXPECT_EQ(schedule->job->task_params, (Json{{"k", 3}}));
  EXPECT_FALSE(schedule->pipeline.has_value());

  ::schedule::CreateScheduleRequest bare;
  auto none = ToScheduleRequest(bare);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->job.has_value());
  EXPECT_FALSE(none->pipeline.has_value());
}

TEST(ScheduleMessagesTest, TaskParamsThatCannotBeJsonAreNamedAsOverHttp) {
  ::schedule::CreateScheduleRequest request;
  (*request.mutable_job()->mutable_task_params()->mutable_fields())["x"].set_number_value(
      std::numeric_limits<double>::infinity());
  EXPECT_EQ(ToScheduleRequest(request).status().message(),
            "job.task_params.x must be a finite number");

  ::schedule::UpdateScheduleRequest update;
  update.mutable_pipeline()->add_jobs();
  ::job::CreateJobRequest* second = update.mutable_pipeline()->add_jobs();
  (*second->mutable_task_params()->mutable_fields())["x"].set_number_value(
      std::numeric_limits<double>::quiet_NaN());
  auto patch = ToSchedulePatch(update);
  EXPECT_EQ(patch.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(patch.status().message(), "pipeline.jobs[1].task_params.x must be a finite number");
}

TEST(ScheduleMessagesTest, AnUpdateChangesOnlyTheFieldsThatAreSet) {
  ::schedule::UpdateScheduleRequest request;
  request.set_id("ignored");
  auto empty = ToSchedulePatch(request);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->name || empty->description || empty->cron || empty->every ||
               empty->time_zone || empty->missed || empty->job || empty->pipeline || empty->paused);

  request.set_description("");
  request.set_cron("@daily");
  request.set_paused(false);
  request.mutable_pipeline()->set_name("p");
  auto patch = ToSchedulePatch(request);
  ASSERT_TRUE(patch.ok());
  EXPECT_FALSE(patch->name.has_value());
  EXPECT_EQ(patch->description, "");
  EXPECT_EQ(patch->cron, "@daily");
  EXPECT_FALSE(patch->every.has_value());
  EXPECT_EQ(patch->paused, false);
  ASSERT_TRUE(patch->pipeline.has_value());
  EXPECT_EQ(patch->pipeline->name, "p");
  EXPECT_FALSE(patch->job.has_value());
}

}  // namespace
}  // namespace valet::adapters::grpc
