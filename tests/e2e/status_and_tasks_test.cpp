// GET /api/status and GET /api/tasks.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using ::testing::ElementsAre;

class StatusApiTest : public ValetdTest {};

TEST_F(StatusApiTest, ReportsHealthyQueueAndStorageWithTimeAndVersion) {
  HttpReply reply = client().Get("/api/status");

  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Header("Content-Type"), "application/json");
  Json status = reply.json();
  ASSERT_TRUE(status.is_object()) << reply.body;
  EXPECT_EQ(status["job_queue_healthy"], true);
  EXPECT_EQ(status["storage_healthy"], true);
  ASSERT_TRUE(status["time"].is_string()) << reply.body;
  EXPECT_TRUE(ParseUtc(status["time"].get<std::string>())) << status["time"];
  ASSERT_TRUE(status["version"].is_string()) << reply.body;
  EXPECT_THAT(status["version"].get<std::string>(),
              ::testing::MatchesRegex("v[0-9]+\\.[0-9]+\\.[0-9]+.*"));
}

class TasksApiTest : public ValetdTest {};

TEST_F(TasksApiTest, ListsTheDemoTasksSorted) {
  HttpReply reply = client().Get("/api/tasks");

  ASSERT_EQ(reply.status, 200) << reply.body;
  Json body = reply.json();
  ASSERT_TRUE(body.is_object() && body["tasks"].is_array()) << reply.body;
  EXPECT_THAT(body["tasks"].get<std::vector<std::string>>(),
              ElementsAre("dummytask", "echo", "fail", "noop", "sleep", "throw"));
}

TEST_F(TasksApiTest, RefusesPostWith405AndAllowHeader) {
  HttpReply reply = client().Post("/api/tasks", Json::object());

  EXPECT_FALSE(ErrorMessage(reply, 405).empty());
  EXPECT_EQ(reply.Header("Allow"), "GET");
}

}  // namespace
}  // namespace valet::e2e
