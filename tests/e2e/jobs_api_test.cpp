// Submitting a job and reading it and its result back.

#include <gtest/gtest.h>

#include <algorithm>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

class JobsApiTest : public ValetdTest {};

TEST_F(JobsApiTest, CreateAnswers202WithThePendingJob) {
  Json params{{"greeting", "hello"}, {"n", 3}};
  HttpReply reply = client().Post("/api/jobs", {{"name", "greet"},
                                                {"description", "says hello"},
                                                {"task_name", "echo"},
                                                {"task_params", params},
                                                {"timeout", 5000}});

  ASSERT_EQ(reply.status, 202) << reply.body;
  EXPECT_EQ(reply.Header("Content-Type"), "application/json");
  Json job = reply.json();
  ASSERT_TRUE(job.is_object()) << reply.body;
  EXPECT_TRUE(IsUuid(job.value("id", ""))) << reply.body;
  EXPECT_EQ(job["name"], "greet");
  EXPECT_EQ(job["description"], "says hello");
  EXPECT_EQ(job["task_name"], "echo");
  EXPECT_EQ(job["task_params"], params);
  EXPECT_EQ(job["timeout"], 5000);
  EXPECT_EQ(job["status"], "PENDING");
  EXPECT_TRUE(ParseUtc(job.value("created_at", ""))) << reply.body;
  for (const char* absent : {"started_at", "completed_at", "duration", "failure_reason", "run_at",
                             "pipeline_id", "next_job_id", "use_previous_results"}) {
    EXPECT_FALSE(job.contains(absent)) << absent << " in " << reply.body;
  }
}

TEST_F(JobsApiTest, EchoJobCompletesWithStartAndEndTimesAndDuration) {
  std::string id = SubmitJob(client(), {{"name", "e"}, {"task_name", "echo"}});
  ASSERT_FALSE(id.empty());

  Json job = WaitForJob(client(), id);

  EXPECT_EQ(job["id"], id);
  ASSERT_EQ(job["status"], "COMPLETED") << job.dump();
  EXPECT_FALSE(job.contains("failure_reason")) << job.dump();
  auto created = ParseUtc(job.value("created_at", ""));
  auto started = ParseUtc(job.value("started_at", ""));
  auto completed = ParseUtc(job.value("completed_at", ""));
  ASSERT_TRUE(created && started && completed) << job.dump();
  EXPECT_LE(*created, *started);
  EXPECT_LE(*started, *completed);
  ASSERT_TRUE(job["duration"].is_number_integer()) << job.dump();
  EXPECT_GE(job["duration"].get<long>(), 0);
}

TEST_F(JobsApiTest, ResultHoldsTheTaskOutput) {
  Json params{{"city", "Athens"}, {"list", {1, 2, 3}}};
  std::string id =
      SubmitJob(client(), {{"name", "e"}, {"task_name", "echo"}, {"task_params", params}});
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(WaitForJob(client(), id)["status"], "COMPLETED");

  HttpReply reply = client().Get("/api/jobs/" + id + "/results");

  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json(), (Json{{"job_id", id}, {"metadata", {{"params", params}}}}));
}

TEST_F(JobsApiTest, DummyTaskResultIsItsMetadataString) {
  std::string id = SubmitJob(client(), {{"name", "d"}, {"task_name", "dummytask"}});
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(WaitForJob(client(), id)["status"], "COMPLETED");

  HttpReply reply = client().Get("/api/jobs/" + id + "/results");

  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json(), (Json{{"job_id", id}, {"metadata", "some metadata"}}));
}

TEST_F(JobsApiTest, NoopResultOmitsNullMetadata) {
  std::string id = SubmitJob(client(), {{"name", "n"}, {"task_name", "noop"}});
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(WaitForJob(client(), id)["status"], "COMPLETED");

  HttpReply reply = client().Get("/api/jobs/" + id + "/results");

  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json(), (Json{{"job_id", id}}));
}

TEST_F(JobsApiTest, GetReturnsTheJobListedByList) {
  std::string id = SubmitJob(client(), {{"name", "listed"}, {"task_name", "noop"}});
  ASSERT_FALSE(id.empty());
  Json job = WaitForJob(client(), id);

  HttpReply list = client().Get("/api/jobs");

  ASSERT_EQ(list.status, 200) << list.body;
  Json jobs = list.json()["jobs"];
  auto found = std::find_if(jobs.begin(), jobs.end(), [&](const Json& j) { return j["id"] == id; });
  ASSERT_NE(found, jobs.end()) << list.body;
  EXPECT_EQ(*found, job);
}

TEST_F(JobsApiTest, DeletingTheResultKeepsTheJob) {
  std::string id = SubmitJob(client(), {{"name", "d"}, {"task_name", "dummytask"}});
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(WaitForJob(client(), id)["status"], "COMPLETED");

  HttpReply deleted = client().Delete("/api/jobs/" + id + "/results");

  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(deleted.body, "");
  EXPECT_EQ(ErrorMessage(client().Get("/api/jobs/" + id + "/results"), 404),
            "job result with ID: " + id + " not found");
  EXPECT_EQ(client().Get("/api/jobs/" + id).status, 200);
}

}  // namespace
}  // namespace valet::e2e
