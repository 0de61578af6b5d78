// POST /api/jobs/{id}/cancel and /api/pipelines/{id}/cancel.

#include <gtest/gtest.h>

#include "api_helpers.hpp"
#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

// One worker, so that a job can complete after a 60 s sleep only if the sleep was stopped.
class CancelTest : public ValetdTest {
 protected:
  static void SetUpTestSuite() {
    ValetdConfig config;
    config.workers = 1;
    StartServer(config);
  }

  Json Cancel(const std::string& kind, const std::string& id, int expected = 200) {
    HttpReply reply = client().Post("/api/" + kind + "/" + id + "/cancel", Json::object());
    EXPECT_EQ(reply.status, expected) << reply.body;
    return reply.json();
  }
};

TEST_F(CancelTest, AScheduledJobCancelledNeverRuns) {
  std::string id =
      SubmitJob(client(), Json{{"name", "later"},
                               {"task_name", "echo"},
                               {"run_at", FormatRfc3339(NowUtc() + std::chrono::hours(1))}});
  Json cancelled = Cancel("jobs", id);
  EXPECT_EQ(cancelled.value("status", ""), "CANCELLED") << cancelled;
  EXPECT_EQ(cancelled.value("failure_reason", ""), "cancelled by request");
  EXPECT_FALSE(cancelled.contains("started_at"));
  EXPECT_EQ(client().Get("/api/jobs/" + id).json().value("status", ""), "CANCELLED");
}

TEST_F(CancelTest, ARunningJobIsCancelledAndItsTaskStops) {
  std::string id = SubmitJob(
      client(), Json{{"name", "long"}, {"task_name", "sleep"}, {"task_params", {{"ms", 60000}}}});
  ASSERT_TRUE(WaitForJobStatus(client(), id, "IN_PROGRESS"));
  Json cancelled = Cancel("jobs", id);
  EXPECT_EQ(cancelled.value("status", ""), "CANCELLED") << cancelled;
  // The only worker is free again.
  Json job = WaitForJob(client(), SubmitJob(client(), Json{{"name", "n"}, {"task_name", "noop"}}));
  EXPECT_EQ(job.value("status", ""), "COMPLETED");
  EXPECT_EQ(client().Get("/api/jobs/" + id).json().value("status", ""), "CANCELLED");
}

TEST_F(CancelTest, AFinishedJobCannotBeCancelled) {
  std::string id = SubmitJob(client(), Json{{"name", "done"}, {"task_name", "noop"}});
  WaitForJob(client(), id);
  HttpReply reply = client().Post("/api/jobs/" + id + "/cancel", Json::object());
  EXPECT_EQ(ErrorMessage(reply, 409), "job with ID: " + id + " is already COMPLETED");
}

TEST_F(CancelTest, UnknownIdsAndWrongMethodsAreRefused) {
  HttpReply missing =
      client().Post("/api/jobs/00000000-0000-4000-8000-000000000000/cancel", Json::object());
  EXPECT_EQ(ErrorMessage(missing, 404),
            "job with ID: 00000000-0000-4000-8000-000000000000 not found");
  EXPECT_EQ(client().Post("/api/jobs/not-a-uuid/cancel", Json::object()).status, 404);
  EXPECT_EQ(client().Post("/api/pipelines/not-a-uuid/cancel", Json::object()).status, 404);
  HttpReply get = client().Get("/api/jobs/00000000-0000-4000-8000-000000000000/cancel");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.Header("Allow"), "POST");
}

TEST_F(CancelTest, APipelineCancelledStopsItsRunningJobAndCancelsTheRest) {
  HttpReply created = client().Post(
      "/api/pipelines",
      Json{{"name", "stoppable"},
           {"jobs",
            {{{"name", "long"}, {"task_name", "sleep"}, {"task_params", {{"ms", 60000}}}},
             {{"name", "after"}, {"task_name", "noop"}}}}});
  ASSERT_EQ(created.status, 202) << created.body;
  std::string pipeline_id = created.json().value("id", "");
  std::string first = created.json()["jobs"][0].value("id", "");
  ASSERT_TRUE(WaitForJobStatus(client(), first, "IN_PROGRESS"));

  Json cancelled = Cancel("pipelines", pipeline_id);
  EXPECT_EQ(cancelled.value("status", ""), "CANCELLED") << cancelled;
  ASSERT_EQ(cancelled["jobs"].size(), 2u) << cancelled;
  for (const Json& job : cancelled["jobs"]) EXPECT_EQ(job.value("status", ""), "CANCELLED") << job;
  HttpReply again = client().Post("/api/pipelines/" + pipeline_id + "/cancel", Json::object());
  EXPECT_EQ(ErrorMessage(again, 409), "pipeline with ID: " + pipeline_id + " is already CANCELLED");
}

TEST_F(CancelTest, AJobOfAPipelineIsCancelledThroughItsPipeline) {
  HttpReply created = client().Post(
      "/api/pipelines",
      Json{{"name", "p"},
           {"run_at", FormatRfc3339(NowUtc() + std::chrono::hours(1))},
           {"jobs",
            {{{"name", "a"}, {"task_name", "noop"}}, {{"name", "b"}, {"task_name", "noop"}}}}});
  ASSERT_EQ(created.status, 202) << created.body;
  std::string job = created.json()["jobs"][0].value("id", "");
  HttpReply reply = client().Post("/api/jobs/" + job + "/cancel", Json::object());
  EXPECT_EQ(ErrorMessage(reply, 409),
            "job with ID: " + job +
                " can not be cancelled because it belongs to a pipeline - try to cancel the "
                "pipeline instead");
}

TEST_F(CancelTest, DeletingARunningJobStopsItsTask) {
  std::string id = SubmitJob(
      client(), Json{{"name", "long"}, {"task_name", "sleep"}, {"task_params", {{"ms", 60000}}}});
  ASSERT_TRUE(WaitForJobStatus(client(), id, "IN_PROGRESS"));
  EXPECT_EQ(client().Delete("/api/jobs/" + id).status, 204);
  EXPECT_EQ(client().Get("/api/jobs/" + id).status, 404);
  // The only worker is free again.
  Json job = WaitForJob(client(), SubmitJob(client(), Json{{"name", "n"}, {"task_name", "noop"}}));
  EXPECT_EQ(job.value("status", ""), "COMPLETED");
}

}  // namespace
}  // namespace valet::e2e
