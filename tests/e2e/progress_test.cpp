// A task's ReportProgress() shows in the job's JSON while it runs.

#include <gtest/gtest.h>

#include <thread>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

class ProgressTest : public ValetdTest {};

TEST_F(ProgressTest, ARunningJobShowsWhatItsTaskReported) {
  // valetd's sleep task reports its progress every 100 ms.
  std::string id = SubmitJob(
      client(), {{"name", "nap"}, {"task_name", "sleep"}, {"task_params", {{"ms", 3000}}}});
  ASSERT_FALSE(id.empty());
  Json seen;
  for (int i = 0; i < 300 && seen.is_null(); ++i) {
    Json job = client().Get("/api/jobs/" + id).json();
    if (job["status"] == "IN_PROGRESS" && job.contains("progress")) seen = job["progress"];
    if (job["status"] == "COMPLETED") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(seen.is_object()) << "no progress seen while the job ran";
  ASSERT_TRUE(seen["fraction"].is_number()) << seen.dump();
  EXPECT_GT(seen["fraction"].get<double>(), 0.0);
  EXPECT_LT(seen["fraction"].get<double>(), 1.0);
  EXPECT_NE(seen.value("message", "").find(" of 3000 ms"), std::string::npos) << seen.dump();

  Json done = WaitForJob(client(), id);
  ASSERT_EQ(done["status"], "COMPLETED") << done.dump();
  // The last report is always stored.
  EXPECT_EQ(done["progress"]["fraction"], 1.0) << done.dump();
  EXPECT_EQ(done["progress"]["message"], "slept 3000 of 3000 ms");
}

TEST_F(ProgressTest, AJobThatReportsNothingHasNoProgressField) {
  std::string id = SubmitJob(client(), {{"name", "e"}, {"task_name", "echo"}});
  Json done = WaitForJob(client(), id);
  EXPECT_FALSE(done.contains("progress")) << done.dump();
}

}  // namespace
}  // namespace valet::e2e
