// /api/pipelines: jobs run in order, feed each other, fail together, and go away together.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

Json EchoJob(const std::string& name, int step, bool use_previous) {
  Json job{{"name", name}, {"task_name", "echo"}, {"task_params", {{"step", step}}}};
  if (use_previous) job["use_previous_results"] = true;
  return job;
}

// Three echo jobs; the second and the third are fed the result before them.
Json ThreeEchoes(const std::string& name) {
  return {{"name", name},
          {"description", "three echoes"},
          {"jobs",
           {EchoJob("first", 1, false), EchoJob("second", 2, true), EchoJob("third", 3, true)}}};
}

std::vector<std::string> Ids(const Json& list) {
  std::vector<std::string> ids;
  for (const Json& item : list) ids.push_back(item.value("id", ""));
  return ids;
}

class PipelinesTest : public ValetdTest {
 protected:
  // POST /api/pipelines expecting 202; the created pipeline with its jobs.
  Json Create(const Json& request) {
    HttpReply reply = client().Post("/api/pipelines", request);
    EXPECT_EQ(reply.status, 202) << reply.body;
    Json created = reply.json();
    if (reply.status != 202 || !created.is_object() || !created["jobs"].is_array()) {
      ADD_FAILURE() << "pipeline not created: " << reply.body;
      return Json::object();
    }
    return created;
  }

  Json Jobs(const std::string& pipeline_id) {
    HttpReply reply = client().Get("/api/pipelines/" + pipeline_id + "/jobs");
    EXPECT_EQ(reply.status, 200) << reply.body;
    Json jobs = reply.json().value("jobs", Json::array());
    return jobs;
  }

  Json Metadata(const std::string& job_id) {
    HttpReply reply = client().Get("/api/jobs/" + job_id + "/results");
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json().value("metadata", Json());
  }

  std::string PostPipelineError(const Json& request, int status) {
    long jobs_before = CountJobs(client());
    std::string message = ErrorMessage(client().Post("/api/pipelines", request), status);
    EXPECT_EQ(CountJobs(client()), jobs_before);
    return message;
  }
};

TEST_F(PipelinesTest, CreateAnswers202WithLinkedJobs) {
  Json created = Create(ThreeEchoes("chain"));
  ASSERT_EQ(created["jobs"].size(), 3u) << created.dump();

  std::string id = created.value("id", "");
  EXPECT_TRUE(IsUuid(id)) << created.dump();
  EXPECT_EQ(created["name"], "chain");
  EXPECT_EQ(created["description"], "three echoes");
  EXPECT_EQ(created["status"], "PENDING");
  EXPECT_TRUE(ParseUtc(created.value("created_at", ""))) << created.dump();
  const Json& jobs = created["jobs"];
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    EXPECT_TRUE(IsUuid(jobs[i].value("id", ""))) << jobs[i].dump();
    EXPECT_EQ(jobs[i]["pipeline_id"], id) << jobs[i].dump();
    EXPECT_EQ(jobs[i]["status"], "PENDING") << jobs[i].dump();
    EXPECT_EQ(jobs[i]["task_params"], (Json{{"step", i + 1}})) << jobs[i].dump();
  }
  EXPECT_EQ(jobs[0]["name"], "first");
  EXPECT_EQ(jobs[0]["next_job_id"], jobs[1]["id"]);
  EXPECT_EQ(jobs[1]["next_job_id"], jobs[2]["id"]);
  EXPECT_FALSE(jobs[2].contains("next_job_id")) << jobs[2].dump();
  EXPECT_FALSE(jobs[0].contains("use_previous_results")) << jobs[0].dump();
  EXPECT_EQ(jobs[1]["use_previous_results"], true);
  EXPECT_EQ(jobs[2]["use_previous_results"], true);
}

TEST_F(PipelinesTest, CompletesAndFeedsEachJobThePreviousResult) {
  Json created = Create(ThreeEchoes("chain"));
  ASSERT_EQ(created["jobs"].size(), 3u);
  std::vector<std::string> job_ids = Ids(created["jobs"]);

  Json pipeline = WaitForPipeline(client(), created.value("id", ""));

  ASSERT_EQ(pipeline["status"], "COMPLETED") << pipeline.dump();
  EXPECT_TRUE(ParseUtc(pipeline.value("started_at", ""))) << pipeline.dump();
  EXPECT_TRUE(ParseUtc(pipeline.value("completed_at", ""))) << pipeline.dump();
  EXPECT_TRUE(pipeline["duration"].is_number_integer()) << pipeline.dump();
  Json jobs = Jobs(created.value("id", ""));
  EXPECT_EQ(Ids(jobs), job_ids);
  for (const Json& job : jobs) EXPECT_EQ(job["status"], "COMPLETED") << job.dump();

  Json first = Metadata(job_ids[0]);
  Json second = Metadata(job_ids[1]);
  Json third = Metadata(job_ids[2]);
  EXPECT_EQ(first, (Json{{"params", {{"step", 1}}}}));
  EXPECT_EQ(second, (Json{{"params", {{"step", 2}}}, {"previous", first}}));
  EXPECT_EQ(third, (Json{{"params", {{"step", 3}}}, {"previous", second}}));
}

TEST_F(PipelinesTest, JobsRunOneAfterAnother) {
  Json created = Create(ThreeEchoes("ordered"));
  WaitForPipeline(client(), created.value("id", ""));

  Json jobs = Jobs(created.value("id", ""));

  ASSERT_EQ(jobs.size(), 3u) << jobs.dump();
  for (std::size_t i = 1; i < jobs.size(); ++i) {
    auto previous_end = ParseUtc(jobs[i - 1].value("completed_at", ""));
    auto start = ParseUtc(jobs[i].value("started_at", ""));
    ASSERT_TRUE(previous_end && start) << jobs.dump();
    EXPECT_LE(*previous_end, *start) << jobs.dump();
  }
}

TEST_F(PipelinesTest, FailedJobFailsThePipelineAndCancelsTheRest) {
  Json request{{"name", "breaks"},
               {"jobs",
                {EchoJob("first", 1, false),
                 {{"name", "second"}, {"task_name", "fail"}, {"task_params", {{"message", "bad"}}}},
                 EchoJob("third", 3, true)}}};
  Json created = Create(request);
  ASSERT_EQ(created["jobs"].size(), 3u);
  std::vector<std::string> job_ids = Ids(created["jobs"]);

  Json pipeline = WaitForPipeline(client(), created.value("id", ""));

  EXPECT_EQ(pipeline["status"], "FAILED") << pipeline.dump();
  Json jobs = Jobs(created.value("id", ""));
  ASSERT_EQ(jobs.size(), 3u) << jobs.dump();
  EXPECT_EQ(jobs[0]["status"], "COMPLETED") << jobs.dump();
  EXPECT_EQ(jobs[1]["status"], "FAILED") << jobs.dump();
  EXPECT_EQ(jobs[1]["failure_reason"], "bad") << jobs.dump();
  EXPECT_EQ(jobs[2]["status"], "CANCELLED") << jobs.dump();
  EXPECT_THAT(jobs[2].value("failure_reason", ""), HasSubstr(job_ids[1])) << jobs.dump();
  EXPECT_FALSE(jobs[2].contains("started_at")) << jobs.dump();
}

TEST_F(PipelinesTest, RejectsAPipelineOfOneJob) {
  Json request{{"name", "short"}, {"jobs", {EchoJob("only", 1, false)}}};

  EXPECT_EQ(PostPipelineError(request, 400), "pipeline should have at least 2 jobs, 1 given");
}

TEST_F(PipelinesTest, RejectsAPipelineWithoutName) {
  Json request{{"jobs", {EchoJob("a", 1, false), EchoJob("b", 2, false)}}};

  EXPECT_EQ(PostPipelineError(request, 400), "name required");
}

TEST_F(PipelinesTest, RejectsAPipelineWithoutJobs) {
  EXPECT_EQ(PostPipelineError({{"name", "empty"}}, 400), "jobs required");
}

TEST_F(PipelinesTest, ReportsAJobErrorBeforeThePipelineError) {
  Json request{{"jobs", {{{"name", "bad"}, {"task_name", "nope"}}}}};

  EXPECT_EQ(PostPipelineError(request, 400),
            "nope is not a valid task name - valid tasks: [dummytask echo fail noop sleep throw]");
}

TEST_F(PipelinesTest, RejectsAJobWithAWrongFieldType) {
  Json request = ThreeEchoes("typed");
  request["jobs"][1]["use_previous_results"] = "yes";

  EXPECT_EQ(PostPipelineError(request, 400), "jobs[1].use_previous_results must be a boolean");
}

TEST_F(PipelinesTest, DeletingAJobOfAPipelineIs409) {
  Json created = Create(ThreeEchoes("kept"));
  ASSERT_EQ(created["jobs"].size(), 3u);
  std::string job_id = created["jobs"][1].value("id", "");

  EXPECT_FALSE(ErrorMessage(client().Delete("/api/jobs/" + job_id), 409).empty());
  EXPECT_EQ(client().Get("/api/jobs/" + job_id).status, 200);
}

TEST_F(PipelinesTest, DeleteRemovesThePipelineItsJobsAndResults) {
  Json created = Create(ThreeEchoes("doomed"));
  std::string id = created.value("id", "");
  ASSERT_EQ(WaitForPipeline(client(), id)["status"], "COMPLETED");

  HttpReply reply = client().Delete("/api/pipelines/" + id);

  EXPECT_EQ(reply.status, 204) << reply.body;
  EXPECT_EQ(ErrorMessage(client().Get("/api/pipelines/" + id), 404),
            "pipeline with ID: " + id + " not found");
  EXPECT_EQ(ErrorMessage(client().Get("/api/pipelines/" + id + "/jobs"), 404),
            "pipeline with ID: " + id + " not found");
  for (const std::string& job_id : Ids(created["jobs"])) {
    EXPECT_EQ(ErrorMessage(client().Get("/api/jobs/" + job_id), 404),
              "job with ID: " + job_id + " not found");
    EXPECT_EQ(client().Get("/api/jobs/" + job_id + "/results").status, 404);
  }
}

TEST_F(PipelinesTest, ListFiltersByStatus) {
  std::string good = Create(ThreeEchoes("good")).value("id", "");
  Json failing{{"name", "failing"},
               {"jobs", {{{"name", "f"}, {"task_name", "fail"}}, EchoJob("e", 1, false)}}};
  std::string bad = Create(failing).value("id", "");
  ASSERT_EQ(WaitForPipeline(client(), good)["status"], "COMPLETED");
  ASSERT_EQ(WaitForPipeline(client(), bad)["status"], "FAILED");

  auto list = [&](const std::string& query) {
    HttpReply reply = client().Get("/api/pipelines" + query);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json().value("pipelines", Json::array());
  };

  EXPECT_THAT(Ids(list("?status=completed")), Contains(good));
  EXPECT_THAT(Ids(list("?status=completed")), Not(Contains(bad)));
  EXPECT_THAT(Ids(list("?status=Failed")), Contains(bad));
  EXPECT_THAT(Ids(list("?status=Failed")), Not(Contains(good)));
  std::vector<std::string> all = Ids(list(""));
  auto good_at = std::find(all.begin(), all.end(), good);
  auto bad_at = std::find(all.begin(), all.end(), bad);
  ASSERT_NE(good_at, all.end());
  ASSERT_NE(bad_at, all.end());
  EXPECT_LT(good_at, bad_at) << "oldest first";
  EXPECT_EQ(ErrorMessage(client().Get("/api/pipelines?status=bogus"), 400),
            "invalid status: \"BOGUS\"");
}

TEST_F(PipelinesTest, PatchChangesOnlyTheGivenFields) {
  Json created = Create(ThreeEchoes("named"));
  std::string id = created.value("id", "");
  Json before = WaitForPipeline(client(), id);

  EXPECT_EQ(client().Patch("/api/pipelines/" + id, {{"description", "x"}}).status, 204);
  Json expected = before;
  expected["description"] = "x";
  EXPECT_EQ(client().Get("/api/pipelines/" + id).json(), expected);

  EXPECT_EQ(ErrorMessage(
                client().Patch("/api/pipelines/" + id, {{"description", "y"}, {"name", 1}}), 400),
            "name must be a string");
  EXPECT_EQ(client().Get("/api/pipelines/" + id).json(), expected);
}

TEST_F(PipelinesTest, UnknownPipelineIsNotFound) {
  EXPECT_EQ(ErrorMessage(client().Get("/api/pipelines/not-a-uuid/jobs"), 404),
            "pipeline with ID: not-a-uuid not found");
  std::string id = "3f2b0c4e-1d5a-4e8b-9c7d-6a5b4c3d2e1f";
  EXPECT_EQ(ErrorMessage(client().Delete("/api/pipelines/" + id), 404),
            "pipeline with ID: " + id + " not found");
}

TEST_F(PipelinesTest, ScheduledPipelineRunsNoEarlierThanRunAt) {
  UtcTime run_at = NowUtc() + std::chrono::seconds(1);
  Json request = ThreeEchoes("later");
  request["run_at"] = FormatRfc3339(run_at);
  Json created = Create(request);
  EXPECT_EQ(ParseUtc(created.value("run_at", "")), run_at) << created.dump();

  Json pipeline = WaitForPipeline(client(), created.value("id", ""));

  ASSERT_EQ(pipeline["status"], "COMPLETED") << pipeline.dump();
  auto started = ParseUtc(pipeline.value("started_at", ""));
  ASSERT_TRUE(started) << pipeline.dump();
  EXPECT_GE(*started, run_at) << pipeline.dump();
  Json jobs = Jobs(created.value("id", ""));
  ASSERT_EQ(jobs.size(), 3u);
  auto scheduled = ParseUtc(jobs[0].value("scheduled_at", ""));
  ASSERT_TRUE(scheduled) << jobs[0].dump();
  EXPECT_GE(*scheduled, run_at) << jobs[0].dump();
}

}  // namespace
}  // namespace valet::e2e
