// POST /api/jobs/batch: several jobs in one request, checked together and stored together.

#include <gtest/gtest.h>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

class JobBatchTest : public ValetdTest {};

TEST_F(JobBatchTest, SubmitsEveryJobAndEachRuns) {
  Json jobs = Json::array();
  for (int i = 0; i < 25; ++i) {
    jobs.push_back({{"name", "batch " + std::to_string(i)},
                    {"task_name", "echo"},
                    {"task_params", {{"i", i}, {"text", "naïve ☃ \"quoted\""}}}});
  }
  jobs.push_back({{"name", "later"}, {"task_name", "dummytask"}, {"run_in", "1h"}});
  HttpReply reply = client().Post("/api/jobs/batch", {{"jobs", jobs}});
  ASSERT_EQ(reply.status, 202) << reply.body;
  Json created = reply.json()["jobs"];
  ASSERT_EQ(created.size(), 26u) << reply.body;
  for (int i = 0; i < 25; ++i) {
    const Json& job = created[static_cast<std::size_t>(i)];
    EXPECT_TRUE(IsUuid(job.value("id", ""))) << job.dump();
    EXPECT_EQ(job["name"], "batch " + std::to_string(i));
    Json done = WaitForJob(client(), job.value("id", ""));
    EXPECT_EQ(done["status"], "COMPLETED") << done.dump();
    HttpReply result = client().Get("/api/jobs/" + job.value("id", "") + "/results");
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.json()["metadata"]["params"],
              jobs[static_cast<std::size_t>(i)]["task_params"]);
  }
  EXPECT_EQ(created[25]["status"], "PENDING");
  EXPECT_TRUE(created[25].contains("run_at")) << created[25].dump();
  EXPECT_EQ(client().Get("/api/jobs/" + created[25].value("id", "")).json()["status"], "PENDING");
}

TEST_F(JobBatchTest, OneBadJobRefusesTheWholeBatchByItsIndex) {
  Json jobs = Json::array(
      {{{"name", "fine"}, {"task_name", "echo"}}, {{"name", "bad"}, {"task_name", "nope"}}});
  HttpReply unknown = client().Post("/api/jobs/batch", {{"jobs", jobs}});
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(unknown.json()["message"],
            "jobs[1]: nope is not a valid task name - valid tasks: [dummytask echo fail noop sleep "
            "throw]");
  HttpReply wrong_type = client().Post(
      "/api/jobs/batch",
      {{"jobs", Json::array({{{"name", "a"}, {"task_name", "echo"}, {"timeout", "soon"}}})}});
  EXPECT_EQ(wrong_type.status, 400) << wrong_type.body;
  EXPECT_NE(wrong_type.json().value("message", "").find("jobs[0].timeout"), std::string::npos)
      << wrong_type.body;
  EXPECT_EQ(client().Get("/api/jobs").json()["jobs"].size(), 0u) << "nothing may be stored";
}

TEST_F(JobBatchTest, RefusesAMissingEmptyOrOversizedBatch) {
  EXPECT_EQ(client().Post("/api/jobs/batch", Json::object()).json()["message"], "jobs required");
  EXPECT_EQ(client().Post("/api/jobs/batch", {{"jobs", "all"}}).json()["message"],
            "jobs must be an array");
  EXPECT_EQ(client().Post("/api/jobs/batch", {{"jobs", Json::array({1})}}).json()["message"],
            "jobs[0] must be an object");
  HttpReply empty = client().Post("/api/jobs/batch", {{"jobs", Json::array()}});
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(empty.json()["message"], "a batch holds 1 to 1000 jobs, 0 given");
  // Kept small enough for the test server's body limit: the count is checked first.
  Json many = Json::array();
  for (int i = 0; i < 1001; ++i) many.push_back(Json::object());
  HttpReply oversized = client().Post("/api/jobs/batch", {{"jobs", many}});
  EXPECT_EQ(oversized.status, 400) << oversized.body;
  EXPECT_EQ(oversized.json()["message"], "a batch holds 1 to 1000 jobs, 1001 given");
  EXPECT_EQ(client().Get("/api/jobs").json()["jobs"].size(), 0u);
}

TEST_F(JobBatchTest, TakesNoIdempotencyKeyAndOnlyPost) {
  HttpRequestSpec keyed;
  keyed.method = "POST";
  keyed.path = "/api/jobs/batch";
  keyed.body = Json{{"jobs", Json::array({{{"name", "a"}, {"task_name", "echo"}}})}}.dump();
  keyed.headers = {{"Idempotency-Key", "once"}};
  HttpReply refused = client().Send(keyed);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(client().Get("/api/jobs").json()["jobs"].size(), 0u);
  HttpReply get = client().Get("/api/jobs/batch");
  EXPECT_EQ(get.status, 405) << get.body;
  EXPECT_EQ(get.json()["code"], 405);
}

}  // namespace
}  // namespace valet::e2e
