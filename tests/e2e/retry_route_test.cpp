// POST /api/jobs/{id}/retry: a failed or cancelled job submitted again as a new job.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api_helpers.hpp"
#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

class RetryRouteTest : public ValetdTest {
 protected:
  HttpReply Retry(const std::string& id) {
    return client().Post("/api/jobs/" + id + "/retry", Json::object());
  }
};

TEST_F(RetryRouteTest, AFailedJobRunsAgainAsANewJobAndTheOldOneIsKept) {
  Json request{{"name", "flaky"},
               {"task_name", "fail"},
               {"description", "tries hard"},
               {"timeout", 30},
               {"task_params", {{"message", "disk full"}}}};
  std::string old_id = SubmitJob(client(), request);
  ASSERT_EQ(WaitForJob(client(), old_id).value("status", ""), "FAILED");
  long before = CountJobs(client());

  HttpReply reply = Retry(old_id);
  ASSERT_EQ(reply.status, 202) << reply.body;
  Json retried = reply.json();
  std::string new_id = retried.value("id", "");
  EXPECT_TRUE(IsUuid(new_id)) << retried;
  EXPECT_NE(new_id, old_id);
  EXPECT_EQ(retried.value("name", ""), "flaky");
  EXPECT_EQ(retried.value("description", ""), "tries hard");
  EXPECT_EQ(retried.value("task_name", ""), "fail");
  EXPECT_EQ(retried.value("timeout", 0), 30);
  EXPECT_EQ(retried["task_params"], request["task_params"]);
  EXPECT_FALSE(retried.contains("failure_reason")) << retried;
  EXPECT_EQ(CountJobs(client()), before + 1);

  Json ran = WaitForJob(client(), new_id);
  EXPECT_EQ(ran.value("status", ""), "FAILED") << ran;
  EXPECT_EQ(ran.value("failure_reason", ""), "disk full");
  Json old = client().Get("/api/jobs/" + old_id).json();
  EXPECT_EQ(old.value("status", ""), "FAILED");
  EXPECT_EQ(client().Get("/api/jobs/" + old_id + "/results").json().value("error", ""),
            "disk full");
}

TEST_F(RetryRouteTest, ACancelledScheduledJobRetriedRunsNow) {
  std::string id =
      SubmitJob(client(), Json{{"name", "later"},
                               {"task_name", "echo"},
                               {"task_params", {{"n", 1}}},
                               {"run_at", FormatRfc3339(NowUtc() + std::chrono::hours(1))}});
  ASSERT_EQ(client().Post("/api/jobs/" + id + "/cancel", Json::object()).status, 200);

  HttpReply reply = Retry(id);
  ASSERT_EQ(reply.status, 202) << reply.body;
  EXPECT_FALSE(reply.json().contains("run_at")) << reply.body;
  std::string new_id = reply.json().value("id", "");
  EXPECT_EQ(WaitForJob(client(), new_id).value("status", ""), "COMPLETED");
  EXPECT_EQ(client().Get("/api/jobs/" + new_id + "/results").json()["metadata"]["params"],
            (Json{{"n", 1}}));
  EXPECT_EQ(client().Get("/api/jobs/" + id).json().value("status", ""), "CANCELLED");
}

TEST_F(RetryRouteTest, AJobThatDidNotFailOrWasNotCancelledIsA409) {
  std::string done = SubmitJob(client(), Json{{"name", "ok"}, {"task_name", "noop"}});
  WaitForJob(client(), done);
  EXPECT_EQ(
      ErrorMessage(Retry(done), 409),
      "job with ID: " + done + " is COMPLETED - only a FAILED or CANCELLED job can be retried");

  std::string scheduled =
      SubmitJob(client(), Json{{"name", "later"},
                               {"task_name", "noop"},
                               {"run_at", FormatRfc3339(NowUtc() + std::chrono::hours(1))}});
  long before = CountJobs(client());
  EXPECT_THAT(ErrorMessage(Retry(scheduled), 409),
              ::testing::HasSubstr("only a FAILED or CANCELLED job can be retried"));
  EXPECT_EQ(CountJobs(client()), before);
}

TEST_F(RetryRouteTest, AJobOfAPipelineIsA409) {
  HttpReply created = client().Post(
      "/api/pipelines",
      Json{{"name", "p"},
           {"jobs",
            {{{"name", "a"}, {"task_name", "fail"}}, {{"name", "b"}, {"task_name", "noop"}}}}});
  ASSERT_EQ(created.status, 202) << created.body;
  std::string job = created.json()["jobs"][0].value("id", "");
  WaitForPipeline(client(), created.json().value("id", ""));
  EXPECT_EQ(ErrorMessage(Retry(job), 409),
            "job with ID: " + job +
                " can not be retried because it belongs to a pipeline - submit the pipeline "
                "again instead");
}

TEST_F(RetryRouteTest, UnknownIdsAndWrongMethodsAreRefused) {
  EXPECT_EQ(ErrorMessage(Retry("00000000-0000-4000-8000-000000000000"), 404),
            "job with ID: 00000000-0000-4000-8000-000000000000 not found");
  EXPECT_EQ(ErrorMessage(Retry("not-a-uuid"), 404), "job with ID: not-a-uuid not found");
  HttpReply get = client().Get("/api/jobs/00000000-0000-4000-8000-000000000000/retry");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.Header("Allow"), "POST");
}

}  // namespace
}  // namespace valet::e2e
