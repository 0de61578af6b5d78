// max_retries: failed attempts run again after a backoff, each one recorded in the job.

#include <gtest/gtest.h>

#include "api_helpers.hpp"
#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

class RetriesTest : public ValetdTest {
 protected:
  static void SetUpTestSuite() {
    ValetdConfig config;
    config.retry_backoff_ms = 20;
    StartServer(config);
  }
};

TEST_F(RetriesTest, AJobThatKeepsFailingEndsFailedWithEveryAttemptKept) {
  std::string id = SubmitJob(client(), Json{{"name", "flaky"},
                                            {"task_name", "fail"},
                                            {"task_params", {{"message", "no luck"}}},
                                            {"max_retries", 2}});
  Json job = WaitForJob(client(), id);
  EXPECT_EQ(job.value("status", ""), "FAILED") << job;
  EXPECT_EQ(job.value("max_retries", 0), 2);
  EXPECT_EQ(job.value("attempt", 0), 3);
  ASSERT_EQ(job["attempts"].size(), 3u) << job;
  for (int i = 0; i < 3; ++i) {
    const Json& attempt = job["attempts"][i];
    EXPECT_EQ(attempt.value("attempt", 0), i + 1) << attempt;
    EXPECT_EQ(attempt.value("error", ""), "no luck") << attempt;
    EXPECT_TRUE(ParseUtc(attempt.value("started_at", "")).has_value()) << attempt;
    EXPECT_TRUE(ParseUtc(attempt.value("ended_at", "")).has_value()) << attempt;
  }
  EXPECT_EQ(client().Get("/api/jobs/" + id + "/results").json().value("error", ""), "no luck");
  // The dead-letter view.
  Json failed = client().Get("/api/jobs?status=failed").json();
  bool listed = false;
  for (const Json& entry : failed["jobs"]) listed |= entry.value("id", "") == id;
  EXPECT_TRUE(listed) << failed;
}

TEST_F(RetriesTest, WithoutRetriesAFailureIsFinalAndLooksAsInValet) {
  std::string id = SubmitJob(client(), Json{{"name", "once"}, {"task_name", "fail"}});
  Json job = WaitForJob(client(), id);
  EXPECT_EQ(job.value("status", ""), "FAILED");
  EXPECT_FALSE(job.contains("max_retries")) << job;
  EXPECT_EQ(job.value("attempt", 0), 1);
}

TEST_F(RetriesTest, MaxRetriesOutOfRangeOrOfTheWrongTypeIsA400AndStoresNothing) {
  long before = CountJobs(client());
  EXPECT_EQ(
      ErrorMessage(client().Post("/api/jobs",
                                 Json{{"name", "x"}, {"task_name", "noop"}, {"max_retries", 101}}),
                   400),
      "max_retries must be from 0 to 100");
  EXPECT_EQ(
      ErrorMessage(client().Post("/api/jobs",
                                 Json{{"name", "x"}, {"task_name", "noop"}, {"max_retries", "3"}}),
                   400),
      "max_retries must be an integer");
  EXPECT_EQ(CountJobs(client()), before);
}

}  // namespace
}  // namespace valet::e2e
