// job.Job, jobresult.JobResult and task.Task over gRPC: each call's happy path.

#include <gtest/gtest.h>

#include "grpc_test.hpp"

namespace valet::e2e {
namespace {

class GrpcJobsTest : public GrpcTest {
 protected:
  static void SetUpTestSuite() {
    ValetdConfig config = GrpcValetdConfig();
    config.retry_backoff_ms = 20;
    StartServer(config);
  }

  ::grpc::Status GetResult(const std::string& id, ::jobresult::GetJobResultResponse* result) {
    ::jobresult::GetJobResultRequest request;
    request.set_job_id(id);
    return grpc().Call(&::jobresult::JobResult::Stub::Get, grpc().results(), request, result);
  }
};

TEST_F(GrpcJobsTest, CreateQueuesTheJobSoItCompletesWithItsResult) {
  ::job::CreateJobResponse created;
  ::grpc::Status status =
      grpc().Call(&::job::Job::Stub::Create, grpc().jobs(),
                  JobRequest("greet", "echo", Json{{"who", "world"}}), &created);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(IsUuid(created.id())) << created.ShortDebugString();
  EXPECT_EQ(created.name(), "greet");
  EXPECT_EQ(created.task_name(), "echo");
  EXPECT_EQ(ToJson(created.task_params()), (Json{{"who", "world"}}));
  EXPECT_EQ(created.status(), kPending);
  EXPECT_TRUE(created.has_created_at());
  EXPECT_FALSE(created.has_run_at());

  // No run_at: only the queue can bring it to a worker (valet's Go server never queued it).
  ::job::GetJobResponse job = WaitForJob(created.id());
  EXPECT_EQ(job.status(), kCompleted) << job.ShortDebugString();
  EXPECT_TRUE(job.has_started_at());
  EXPECT_TRUE(job.has_completed_at());
  EXPECT_FALSE(job.has_scheduled_at());
  EXPECT_GE(job.duration(), 0);
  EXPECT_EQ(job.attempt(), 1);
  EXPECT_EQ(job.attempts_size(), 0);

  ::jobresult::GetJobResultResponse result;
  status = GetResult(created.id(), &result);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(result.job_id(), created.id());
  EXPECT_EQ(ToJson(result.metadata()), (Json{{"params", {{"who", "world"}}}}));
  EXPECT_EQ(result.error(), "");
}

TEST_F(GrpcJobsTest, AFinishedJobCarriesTheLastProgressItsTaskReported) {
  ::job::CreateJobResponse created;
  ::grpc::Status status = grpc().Call(&::job::Job::Stub::Create, grpc().jobs(),
                                      JobRequest("nap", "sleep", Json{{"ms", 300}}), &created);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_FALSE(created.has_progress());
  ::job::GetJobResponse job = WaitForJob(created.id());
  ASSERT_EQ(job.status(), kCompleted) << job.ShortDebugString();
  ASSERT_TRUE(job.has_progress()) << job.ShortDebugString();
  EXPECT_EQ(job.progress().fraction(), 1.0);
  EXPECT_EQ(job.progress().message(), "slept 300 of 300 ms");
}

TEST_F(GrpcJobsTest, WholeNumbersInTaskParamsReachTheTaskAsIntegers) {
  // `sleep` refuses an `ms` that is not an integer; protobuf sends every number as a double.
  std::string id = CreateJob(JobRequest("nap", "sleep", Json{{"ms", 5}}));
  ::job::GetJobResponse job = WaitForJob(id);
  EXPECT_EQ(job.status(), kCompleted) << job.ShortDebugString();
  EXPECT_EQ(ToJson(job.task_params()), (Json{{"ms", 5}}));
}

TEST_F(GrpcJobsTest, AFailedJobReportsItsReasonAndResultError) {
  std::string id = CreateJob(JobRequest("sad", "fail", Json{{"message", "no luck"}}));
  ::job::GetJobResponse job = WaitForJob(id);
  EXPECT_EQ(job.status(), kFailed);
  EXPECT_EQ(job.failure_reason(), "no luck");
  ::jobresult::GetJobResultResponse result;
  ASSERT_TRUE(GetResult(id, &result).ok());
  EXPECT_EQ(result.error(), "no luck");
  EXPECT_FALSE(result.has_metadata());
}

TEST_F(GrpcJobsTest, RetriesAndTheirAttemptsAreReported) {
  ::job::CreateJobRequest request = JobRequest("flaky", "fail", Json{{"message", "again"}});
  request.set_max_retries(2);
  ::job::CreateJobResponse created;
  ASSERT_TRUE(grpc().Call(&::job::Job::Stub::Create, grpc().jobs(), request, &created).ok());
  EXPECT_EQ(created.max_retries(), 2);

  ::job::GetJobResponse job = WaitForJob(created.id());
  EXPECT_EQ(job.status(), kFailed) << job.ShortDebugString();
  EXPECT_EQ(job.max_retries(), 2);
  EXPECT_EQ(job.attempt(), 3);
  ASSERT_EQ(job.attempts_size(), 3) << job.ShortDebugString();
  for (int i = 0; i < 3; ++i) {
    const ::job::Attempt& attempt = job.attempts(i);
    EXPECT_EQ(attempt.attempt(), i + 1);
    EXPECT_EQ(attempt.error(), "again");
    EXPECT_TRUE(attempt.has_started_at());
    EXPECT_TRUE(attempt.has_ended_at());
    EXPECT_FALSE(attempt.lost());
  }
}

TEST_F(GrpcJobsTest, AScheduledJobWaitsWithItsRunAt) {
  UtcTime run_at = NowUtc() + std::chrono::hours(1);
  ::job::CreateJobRequest request = JobRequest("later", "noop");
  request.set_run_at(FormatRfc3339(run_at, 120));
  request.set_timeout(250);
  request.set_description("in an hour");
  ::job::CreateJobResponse created;
  ASSERT_TRUE(grpc().Call(&::job::Job::Stub::Create, grpc().jobs(), request, &created).ok());

  ::job::GetJobResponse job = GetJob(created.id());
  EXPECT_EQ(job.status(), kPending);
  std::int64_t micros = run_at.time_since_epoch().count();
  EXPECT_EQ(job.run_at().seconds(), micros / 1'000'000);
  EXPECT_EQ(job.run_at().nanos(), micros % 1'000'000 * 1000);
  EXPECT_EQ(job.timeout(), 250);
  EXPECT_EQ(job.description(), "in an hour");
  EXPECT_FALSE(job.has_started_at());
  EXPECT_EQ(job.duration(), 0);
}

TEST_F(GrpcJobsTest, RunInDelaysTheJobFromWhenItWasCreated) {
  ::job::CreateJobRequest request = JobRequest("soon", "noop");
  request.set_run_in("1h30m");
  std::int64_t before = NowUtc().time_since_epoch().count() / 1'000'000;
  ::job::CreateJobResponse created;
  ASSERT_TRUE(grpc().Call(&::job::Job::Stub::Create, grpc().jobs(), request, &created).ok());
  std::int64_t after = NowUtc().time_since_epoch().count() / 1'000'000;

  ::job::GetJobResponse job = GetJob(created.id());
  EXPECT_EQ(job.status(), kPending);
  EXPECT_GE(job.run_at().seconds(), before + 5400);
  EXPECT_LE(job.run_at().seconds(), after + 5400);
  EXPECT_FALSE(job.has_started_at());
}

TEST_F(GrpcJobsTest, GetJobsListsOldestFirstAndFiltersByStatus) {
  std::string first = CreateJob(JobRequest("first", "noop"));
  std::string second = CreateJob(JobRequest("second", "noop"));
  WaitForJob(first);
  WaitForJob(second);

  ::job::GetJobsRequest all;
  ::job::GetJobsResponse listed;
  ASSERT_TRUE(grpc().Call(&::job::Job::Stub::GetJobs, grpc().jobs(), all, &listed).ok());
  int first_at = -1;
  int second_at = -1;
  for (int i = 0; i < listed.jobs_size(); ++i) {
    if (listed.jobs(i).id() == first) first_at = i;
    if (listed.jobs(i).id() == second) second_at = i;
  }
  EXPECT_GE(first_at, 0);
  EXPECT_GT(second_at, first_at);

  ::job::GetJobsRequest completed;
  completed.set_status("completed");
  ::job::GetJobsResponse done;
  ASSERT_TRUE(grpc().Call(&::job::Job::Stub::GetJobs, grpc().jobs(), completed, &done).ok());
  bool found = false;
  for (const auto& job : done.jobs()) {
    EXPECT_EQ(job.status(), kCompleted);
    found |= job.id() == first;
  }
  EXPECT_TRUE(found);
}

TEST_F(GrpcJobsTest, GetJobsFiltersByLabelsAndPagesWithACursor) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) {
    ::job::CreateJobRequest request = JobRequest("labelled-" + std::to_string(i), "noop");
    (*request.mutable_labels())["suite"] = "grpc-pages";
    (*request.mutable_labels())["parity"] = i % 2 == 0 ? "even" : "odd";
    ::job::CreateJobResponse reply;
    ASSERT_TRUE(grpc().Call(&::job::Job::Stub::Create, grpc().jobs(), request, &reply).ok());
    EXPECT_EQ(reply.labels().at("suite"), "grpc-pages");
    created.push_back(reply.id());
  }

  ::job::GetJobsRequest request;
  (*request.mutable_labels())["suite"] = "grpc-pages";
  request.set_limit(2);
  std::vector<std::string> paged;
  for (int page = 0; page < 10; ++page) {
    ::job::GetJobsResponse reply;
    ASSERT_TRUE(grpc().Call(&::job::Job::Stub::GetJobs, grpc().jobs(), request, &reply).ok());
    EXPECT_LE(reply.jobs_size(), 2);
    for (const auto& job : reply.jobs()) paged.push_back(job.id());
    if (reply.next_cursor().empty()) break;
    request.set_cursor(reply.next_cursor());
  }
  EXPECT_EQ(paged, created);

  ::job::GetJobsRequest even;
  (*even.mutable_labels())["suite"] = "grpc-pages";
  (*even.mutable_labels())["parity"] = "even";
  ::job::GetJobsResponse evens;
  ASSERT_TRUE(grpc().Call(&::job::Job::Stub::GetJobs, grpc().jobs(), even, &evens).ok());
  ASSERT_EQ(evens.jobs_size(), 3);
  EXPECT_EQ(evens.jobs(1).id(), created[2]);
  EXPECT_EQ(evens.jobs(1).labels().at("parity"), "even");
  EXPECT_TRUE(evens.next_cursor().empty());

  ::job::GetJobsRequest bad;
  bad.set_cursor("zz");
  ::job::GetJobsResponse refused;
  ::grpc::Status status = grpc().Call(&::job::Job::Stub::GetJobs, grpc().jobs(), bad, &refused);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_EQ(status.error_message(), "invalid cursor");
}

TEST_F(GrpcJobsTest, UpdateWritesOnlyTheFieldsThatAreSet) {
  ::job::CreateJobRequest request = JobRequest("old", "noop");
  request.set_description("kept");
  request.set_run_at(FormatRfc3339(NowUtc() + std::chrono::hours(1)));
  std::string id = CreateJob(request);

  ::job::UpdateJobRequest rename;
  rename.set_id(id);
  rename.set_name("new");
  ::job::UpdateJobResponse updated;
  ::grpc::Status status = grpc().Call(&::job::Job::Stub::Update, grpc().jobs(), rename, &updated);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ::job::GetJobResponse job = GetJob(id);
  EXPECT_EQ(job.name(), "new");
  EXPECT_EQ(job.description(), "kept");

  ::job::UpdateJobRequest clear;
  clear.set_id(id);
  clear.set_description("");
  ASSERT_TRUE(grpc().Call(&::job::Job::Stub::Update, grpc().jobs(), clear, &updated).ok());
  EXPECT_EQ(GetJob(id).description(), "");
  EXPECT_EQ(GetJob(id).name(), "new");
}

TEST_F(GrpcJobsTest, DeleteRemovesTheJobAndItsResult) {
  std::string id = CreateJob(JobRequest("gone", "noop"));
  WaitForJob(id);
  ::job::DeleteJobRequest request;
  request.set_id(id);
  ::job::DeleteJobResponse deleted;
  ::grpc::Status status = grpc().Call(&::job::Job::Stub::Delete, grpc().jobs(), request, &deleted);
  ASSERT_TRUE(status.ok()) << Describe(status);

  ::job::GetJobRequest get;
  get.set_id(id);
  ::job::GetJobResponse job;
  EXPECT_EQ(grpc().Call(&::job::Job::Stub::Get, grpc().jobs(), get, &job).error_code(),
            ::grpc::StatusCode::NOT_FOUND);
  ::jobresult::GetJobResultResponse result;
  EXPECT_EQ(GetResult(id, &result).error_code(), ::grpc::StatusCode::NOT_FOUND);
}

TEST_F(GrpcJobsTest, ResultDeleteRemovesOnlyTheResult) {
  std::string id = CreateJob(JobRequest("kept", "dummytask"));
  WaitForJob(id);
  ::jobresult::GetJobResultResponse result;
  ASSERT_TRUE(GetResult(id, &result).ok());
  EXPECT_EQ(ToJson(result.metadata()), Json("some metadata"));

  ::jobresult::DeleteJobResultRequest request;
  request.set_job_id(id);
  ::jobresult::DeleteJobResultResponse deleted;
  ::grpc::Status status =
      grpc().Call(&::jobresult::JobResult::Stub::Delete, grpc().results(), request, &deleted);
  ASSERT_TRUE(status.ok()) << Describe(status);
  status = GetResult(id, &result);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "job result with ID: " + id + " not found");
  EXPECT_EQ(GetJob(id).status(), kCompleted);
}

TEST_F(GrpcJobsTest, TasksAreListedSortedAsOverHttp) {
  ::task::GetTasksResponse tasks;
  ::grpc::Status status =
      grpc().Call(&::task::Task::Stub::GetTasks, grpc().tasks(), ::task::GetTasksRequest(), &tasks);
  ASSERT_TRUE(status.ok()) << Describe(status);
  std::vector<std::string> names(tasks.tasks().begin(), tasks.tasks().end());
  EXPECT_EQ(names,
            (std::vector<std::string>{"dummytask", "echo", "fail", "noop", "sleep", "throw"}));
  EXPECT_EQ(Json(names), client().Get("/api/tasks").json()["tasks"]);
}

TEST_F(GrpcJobsTest, AJobCreatedOverGrpcIsTheJobHttpSees) {
  std::string id = CreateJob(JobRequest("both", "noop"));
  WaitForJob(id);
  Json job = client().Get("/api/jobs/" + id).json();
  EXPECT_EQ(job.value("name", ""), "both");
  EXPECT_EQ(job.value("status", ""), "COMPLETED");
}

}  // namespace
}  // namespace valet::e2e
