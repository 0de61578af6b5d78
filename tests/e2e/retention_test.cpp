// retention: finished jobs and pipelines pruned once they are older than max_age.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

class RetentionTest : public ValetdTest {
 protected:
  static void SetUpTestSuite() {
    ValetdConfig config;
    config.extra_yaml = "retention:\n  max_age: 1s\n  prune_interval: 100ms\n";
    StartServer(config);
  }

  // Whether GET `path` turns 404 within `limit`.
  bool GoneWithin(const std::string& path, std::chrono::seconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (client().Get(path).status == 404) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
};

TEST_F(RetentionTest, FinishedJobsAndPipelinesGoUnfinishedOnesStay) {
  std::string running = SubmitJob(
      client(), {{"name", "slow"}, {"task_name", "sleep"}, {"task_params", {{"ms", 20000}}}});
  std::string done = SubmitJob(client(), {{"name", "quick"}, {"task_name", "noop"}});
  ASSERT_EQ(WaitForJob(client(), done)["status"], "COMPLETED");
  HttpReply pipeline = client().Post(
      "/api/pipelines",
      {{"name", "p"},
       {"jobs", {{{"name", "a"}, {"task_name", "noop"}}, {{"name", "b"}, {"task_name", "noop"}}}}});
  ASSERT_EQ(pipeline.status, 202) << pipeline.body;
  std::string pipeline_id = pipeline.json().value("id", "");
  std::string step = pipeline.json()["jobs"][0].value("id", "");

  EXPECT_TRUE(GoneWithin("/api/jobs/" + done, std::chrono::seconds(30)));
  EXPECT_EQ(client().Get("/api/jobs/" + done + "/results").status, 404);
  EXPECT_TRUE(GoneWithin("/api/pipelines/" + pipeline_id, std::chrono::seconds(30)));
  EXPECT_EQ(client().Get("/api/jobs/" + step).status, 404) << "a pipeline goes with its jobs";

  Json slow = client().Get("/api/jobs/" + running).json();
  EXPECT_EQ(slow.value("status", ""), "IN_PROGRESS") << slow.dump();
  std::string metrics = client().Get("/metrics").body;
  EXPECT_NE(metrics.find("valet_pruned_total{kind=\"job\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("valet_pruned_total{kind=\"pipeline\"} 1"), std::string::npos);
  ASSERT_EQ(client().Post("/api/jobs/" + running + "/cancel", Json::object()).status, 200);
}

}  // namespace
}  // namespace valet::e2e
