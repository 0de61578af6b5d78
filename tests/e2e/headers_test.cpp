// X-Request-Id on every reply, and several requests over one keep-alive connection.

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

class HeadersTest : public ValetdTest {};

TEST_F(HeadersTest, EveryReplyCarriesItsOwnRequestId) {
  std::vector<HttpReply> replies{
      client().Get("/api/status"),                                         // 200
      client().Post("/api/jobs", {{"name", "n"}, {"task_name", "noop"}}),  // 202
      client().Post("/api/jobs", Json::object()),                          // 400
      client().Get("/api/jobs/not-a-uuid"),                                // 404
      client().Send({.method = "PUT", .path = "/api/tasks"}),              // 405
  };

  std::set<std::string> ids;
  for (const HttpReply& reply : replies) {
    std::string id = reply.Header("X-Request-Id");
    EXPECT_FALSE(id.empty()) << "reply " << reply.status << " has no X-Request-Id";
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), replies.size()) << "request ids repeat";
}

TEST_F(HeadersTest, EchoesTheClientsRequestId) {
  HttpReply ok = client().Send(
      {.method = "GET", .path = "/api/status", .headers = {{"X-Request-Id", "trace-42.a"}}});
  HttpReply error = client().Send(
      {.method = "GET", .path = "/api/nope", .headers = {{"X-Request-Id", "trace-43"}}});

  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.Header("X-Request-Id"), "trace-42.a");
  EXPECT_EQ(error.status, 404);
  EXPECT_EQ(error.Header("X-Request-Id"), "trace-43");
}

TEST_F(HeadersTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  ASSERT_EQ(client().Get("/api/status").status, 200);
  int local_port = client().LocalPort();
  ASSERT_GT(local_port, 0);

  std::string id = SubmitJob(client(), {{"name", "k"}, {"task_name", "dummytask"}});
  ASSERT_FALSE(id.empty());
  std::vector<HttpReply> replies{client().Get("/api/tasks"), client().Get("/api/jobs/" + id),
                                 client().Get("/api/jobs"), client().Get("/api/nope"),
                                 client().Get("/api/status")};

  EXPECT_EQ(replies[0].status, 200);
  EXPECT_EQ(replies[1].status, 200);
  EXPECT_EQ(replies[2].status, 200);
  EXPECT_EQ(replies[3].status, 404);
  EXPECT_EQ(replies[4].status, 200);
  for (const HttpReply& reply : replies) EXPECT_TRUE(reply.keep_alive) << reply.status;
  EXPECT_EQ(client().LocalPort(), local_port) << "the client had to reconnect";
}

TEST_F(HeadersTest, ConnectionIsClosedAfterAnUnreadBodyButTheServerServesTheNext) {
  HttpReply refused =
      client().PostRaw("/api/jobs", std::string(2 * ValetdConfig{}.max_body_bytes, ' '));
  EXPECT_EQ(refused.status, 413) << refused.body;
  EXPECT_FALSE(refused.keep_alive);

  EXPECT_EQ(client().Get("/api/status").status, 200);
}

}  // namespace
}  // namespace valet::e2e
