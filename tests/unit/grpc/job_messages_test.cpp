#include "job_messages.hpp"

#include <gtest/gtest.h>

#include "pipeline_messages.hpp"

namespace valet::adapters::grpc {
namespace {

using std::chrono::microseconds;

Job FinishedJob() {
  Job job;
  job.id = "7e37a056-681d-4dfe-bd1a-a3bb27cf125b";
  job.name = "greet";
  job.task_name = "echo";
  job.task_params = Json{{"who", "world"}};
  job.status = JobStatus::kFailed;
  job.failure_reason = "boom";
  job.created_at = TimePoint{microseconds{1'000'000}};
  job.started_at = TimePoint{microseconds{2'000'000}};
  job.completed_at = TimePoint{microseconds{2'750'000}};
  job.max_retries = 1;
  job.attempt = 2;
  job.attempts = Json::array({Json{{"attempt", 1},
                                   {"started_at", "1970-01-01T00:00:01.5Z"},
                                   {"ended_at", "1970-01-01T00:00:01.75Z"},
                                   {"error", "boom"},
                                   {"lost", true}}});
  return job;
}

TEST(JobMessagesTest, AFinishedJobHasItsTimesDurationAndAttempts) {
  ::job::GetJobResponse view;
  ToProto(FinishedJob(), &view);
  EXPECT_EQ(view.status(), 5);
  EXPECT_EQ(view.failure_reason(), "boom");
  EXPECT_EQ(view.created_at().seconds(), 1);
  EXPECT_EQ(view.started_at().seconds(), 2);
  EXPECT_EQ(view.completed_at().nanos(), 750'000'000);
  EXPECT_EQ(view.duration(), 750);
  EXPECT_FALSE(view.has_run_at());
  EXPECT_FALSE(view.has_scheduled_at());
  EXPECT_EQ(view.task_params().fields().at("who").string_value(), "world");
  EXPECT_EQ(view.max_retries(), 1);
  EXPECT_EQ(view.attempt(), 2);
  ASSERT_EQ(view.attempts_size(), 1);
  EXPECT_EQ(view.attempts(0).attempt(), 1);
  EXPECT_EQ(view.attempts(0).started_at().nanos(), 500'000'000);
  EXPECT_EQ(view.attempts(0).ended_at().nanos(), 750'000'000);
  EXPECT_EQ(view.attempts(0).error(), "boom");
  EXPECT_TRUE(view.attempts(0).lost());
}

TEST(JobMessagesTest, AJobNotFinishedHasNoDurationAndNoUnsetTimes) {
  Job job = FinishedJob();
  job.status = JobStatus::kInProgress;
  job.completed_at.reset();
  job.task_params = Json::object();
  ::job::CreateJobResponse view;
  ToProto(job, &view);
  EXPECT_EQ(view.duration(), 0);
  EXPECT_TRUE(view.has_started_at());
  EXPECT_FALSE(view.has_completed_at());
  EXPECT_FALSE(view.has_task_params());
}

TEST(JobMessagesTest, ACreateRequestBecomesACoreRequest) {
  ::job::CreateJobRequest request;
  request.set_name("n");
  request.set_task_name("echo");
  request.set_timeout(5);
  request.set_run_at("2030-01-01T00:00:00Z");
  request.set_use_previous_results(true);
  (*request.mutable_task_params()->mutable_fields())["k"].set_string_value("v");
  auto job = ToJobRequest(request);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->name, "n");
  EXPECT_EQ(job->timeout, 5);
  EXPECT_EQ(job->run_at, "2030-01-01T00:00:00Z");
  EXPECT_TRUE(job->use_previous_results);
  EXPECT_EQ(job->task_params, (Json{{"k", "v"}}));
  EXPECT_FALSE(job->max_retries.has_value());  // unset: the configured default
  request.set_max_retries(0);
  EXPECT_EQ(ToJobRequest(request)->max_retries, 0);

  ::job::CreateJobRequest bare;
  EXPECT_TRUE(ToJobRequest(bare)->task_params.is_null());
  EXPECT_FALSE(ToJobRequest(bare)->run_at.has_value());
}

TEST(JobMessagesTest, ACoreRequestGoesBackToTheMessageItCameFrom) {
  core::JobRequest job;
  job.name = "n";
  job.description = "d";
  job.task_name = "echo";
  job.task_params = Json{{"k", "v"}, {"n", 2}};
  job.timeout = 7;
  job.run_in = "90s";
  job.use_previous_results = true;
  job.max_retries = 0;
  ::job::CreateJobRequest message;
  ToProto(job, &message);
  EXPECT_TRUE(message.has_max_retries());
  auto back = ToJobRequest(message);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->name, "n");
  EXPECT_EQ(back->description, "d");
  EXPECT_EQ(back->task_params, job.task_params);
  EXPECT_EQ(back->timeout, 7);
  EXPECT_EQ(back->run_in, "90s");
  EXPECT_FALSE(back->run_at.has_value());
  EXPECT_TRUE(back->use_previous_results);
  EXPECT_EQ(back->max_retries, 0);

  core::PipelineRequest pipeline;
  pipeline.name = "p";
  pipeline.jobs = {job, core::JobRequest{}};
  ::pipeline::CreatePipelineRequest pipeline_message;
  ToProto(pipeline, &pipeline_message);
  EXPECT_EQ(pipeline_message.name(), "p");
  ASSERT_EQ(pipeline_message.jobs_size(), 2);
  EXPECT_EQ(pipeline_message.jobs(0).task_name(), "echo");
  EXPECT_FALSE(pipeline_message.jobs(1).has_task_params());
  EXPECT_FALSE(pipeline_message.jobs(1).has_max_retries());
}

TEST(JobMessagesTest, AnUpdateWritesOnlyTheFieldsThatAreSet) {
  ::job::UpdateJobRequest request;
  request.set_description("");
  auto patch = ToPatch(request);
  ASSERT_TRUE(patch.ok());
  EXPECT_FALSE(patch->name.has_value());
  EXPECT_EQ(patch->description, "");
  request.set_name("");
  EXPECT_EQ(ToPatch(request).status().message(), "name must not be empty");
}

TEST(JobMessagesTest, APipelineWithJobsKeepsTheirOrder) {
  core::PipelineWithJobs pipeline;
  pipeline.pipeline.id = "p";
  pipeline.pipeline.status = JobStatus::kCancelled;
  pipeline.jobs = {FinishedJob(), FinishedJob()};
  pipeline.jobs[1].id = "second";
  ::pipeline::GetPipelineResponse cancelled;
  ToProto(pipeline, &cancelled);
  EXPECT_EQ(cancelled.status(), 6);
  ASSERT_EQ(cancelled.jobs_size(), 2);
  EXPECT_EQ(cancelled.jobs(1).id(), "second");
  ::pipeline::GetPipelineResponse got;
  ToProto(pipeline.pipeline, &got);
  EXPECT_EQ(got.jobs_size(), 0);
}

}  // namespace
}  // namespace valet::adapters::grpc
