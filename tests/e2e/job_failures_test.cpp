// Jobs whose task fails, throws or runs past its timeout.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using ::testing::HasSubstr;

class JobFailuresTest : public ValetdTest {
 protected:
  // Runs one job to its end and returns {job, result}.
  std::pair<Json, Json> Run(const Json& request) {
    std::string id = SubmitJob(client(), request);
    if (id.empty()) return {};
    Json job = WaitForJob(client(), id);
    HttpReply result = client().Get("/api/jobs/" + id + "/results");
    EXPECT_EQ(result.status, 200) << result.body;
    return {job, result.json()};
  }
};

TEST_F(JobFailuresTest, FailedTaskStoresErrorInResult) {
  auto [job, result] =
      Run({{"name", "f"}, {"task_name", "fail"}, {"task_params", {{"message", "disk full"}}}});

  EXPECT_EQ(job["status"], "FAILED") << job.dump();
  EXPECT_EQ(job["failure_reason"], "disk full") << job.dump();
  EXPECT_TRUE(ParseUtc(job.value("completed_at", ""))) << job.dump();
  EXPECT_EQ(result, (Json{{"job_id", job["id"]}, {"error", "disk full"}}));
}

TEST_F(JobFailuresTest, FailTaskWithoutMessageUsesDefault) {
  auto [job, result] = Run({{"name", "f"}, {"task_name", "fail"}});

  EXPECT_EQ(job["status"], "FAILED") << job.dump();
  EXPECT_EQ(job["failure_reason"], "failed") << job.dump();
  EXPECT_EQ(result["error"], "failed") << result.dump();
}

TEST_F(JobFailuresTest, ThrowingTaskFailsWithTheExceptionMessage) {
  auto [job, result] =
      Run({{"name", "t"}, {"task_name", "throw"}, {"task_params", {{"message", "boom"}}}});

  EXPECT_EQ(job["status"], "FAILED") << job.dump();
  EXPECT_EQ(job["failure_reason"], "boom") << job.dump();
  EXPECT_EQ(result["error"], "boom") << result.dump();
}

TEST_F(JobFailuresTest, ThrowingTasksDoNotTakeWorkersDown) {
  // More throwing jobs than workers, then one that must still find a worker.
  for (int i = 0; i < 8; ++i) {
    auto [job, result] = Run({{"name", "t"}, {"task_name", "throw"}});
    EXPECT_EQ(job["status"], "FAILED") << job.dump();
  }
  auto [job, result] = Run({{"name", "after"}, {"task_name", "dummytask"}});

  EXPECT_EQ(job["status"], "COMPLETED") << job.dump();
}

TEST_F(JobFailuresTest, JobPastItsTimeoutFailsAsTimedOut) {
  auto [job, result] = Run({{"name", "slow"},
                            {"task_name", "sleep"},
                            {"task_params", {{"ms", 5000}}},
                            {"timeout", 200}});

  EXPECT_EQ(job["status"], "FAILED") << job.dump();
  EXPECT_THAT(job.value("failure_reason", ""), HasSubstr("timed out")) << job.dump();
  EXPECT_THAT(result.value("error", ""), HasSubstr("timed out")) << result.dump();
}

TEST_F(JobFailuresTest, InvalidTaskParamsFailTheJobWithAClearReason) {
  auto [job, result] =
      Run({{"name", "s"}, {"task_name", "sleep"}, {"task_params", {{"ms", "soon"}}}});

  EXPECT_EQ(job["status"], "FAILED") << job.dump();
  EXPECT_EQ(job["failure_reason"], "task_params.ms must be a non-negative integer") << job.dump();
}

}  // namespace
}  // namespace valet::e2e
