// GET /api/stats: the last hour of job endings by the minute, the workers and the queue's depth.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

class StatsTest : public ValetdTest {
 protected:
  static void SetUpTestSuite() {
    ValetdConfig config;
    config.workers = 3;
    StartServer(config);
  }
};

TEST_F(StatsTest, CountsTheRunsThatEndedThisHourByOutcome) {
  Json before = client().Get("/api/stats").json();
  ASSERT_TRUE(before.is_object()) << before;
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i)
    ids.push_back(SubmitJob(client(), Json{{"name", "ok"}, {"task_name", "noop"}}));
  ids.push_back(SubmitJob(client(), Json{{"name", "bad"}, {"task_name", "fail"}}));
  for (const std::string& id : ids) WaitForJob(client(), id);

  HttpReply reply = client().Get("/api/stats");
  ASSERT_EQ(reply.status, 200) << reply.body;
  Json stats = reply.json();
  EXPECT_EQ(stats["completed"].get<int>(), before["completed"].get<int>() + 3) << stats;
  EXPECT_EQ(stats["failed"].get<int>(), before["failed"].get<int>() + 1) << stats;
  double expected_rate = stats["failed"].get<double>() /
                         (stats["completed"].get<double>() + stats["failed"].get<double>());
  EXPECT_DOUBLE_EQ(stats["failure_rate"].get<double>(), expected_rate);
  EXPECT_EQ(stats["workers"], 3);
  EXPECT_GE(stats["workers_busy"].get<int>(), 0);
  EXPECT_EQ(stats["queue_depth"], 0);

  const Json& minutes = stats["minutes"];
  ASSERT_EQ(minutes.size(), 60u);
  int completed = 0;
  int failed = 0;
  std::optional<UtcTime> previous;
  for (const Json& minute : minutes) {
    auto start = ParseUtc(minute.value("start", ""));
    ASSERT_TRUE(start) << minute;
    if (previous) {
      EXPECT_EQ(*start - *previous, std::chrono::minutes(1));
    }
    previous = start;
    completed += minute["completed"].get<int>();
    failed += minute["failed"].get<int>();
  }
  EXPECT_EQ(completed, stats["completed"].get<int>());
  EXPECT_EQ(failed, stats["failed"].get<int>());
  EXPECT_LE(*previous, NowUtc());
}

TEST_F(StatsTest, OnlyGetIsAllowed) {
  HttpReply post = client().Post("/api/stats", Json::object());
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("Allow"), "GET");
}

}  // namespace
}  // namespace valet::e2e
