// What a client may not do to the HTTP server: send oversized request lines and headers (a JSON
// 414 or 431, like every refusal), or send its request so slowly that it holds a connection
// thread (server.http.request_timeout closes it).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "raw_connection.hpp"
#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using ::testing::HasSubstr;

constexpr int kRequestTimeoutMs = 500;

// Sends `start`, then one more `trickle` every 100 ms, until the server closes the connection;
// returns how long that took, or nullopt if it still listened after `limit`.
std::optional<milliseconds> TrickleUntilClosed(int port, const std::string& start,
                                               const std::string& trickle, milliseconds limit) {
  RawConnection connection(port);
  if (!connection.connected() || !connection.Send(start)) return std::nullopt;
  auto began = steady_clock::now();
  while (steady_clock::now() - began < limit) {
    std::this_thread::sleep_for(milliseconds(100));
    if (connection.ClosedByServer() || !connection.Send(trickle)) {
      return std::chrono::duration_cast<milliseconds>(steady_clock::now() - began);
    }
  }
  return std::nullopt;
}

class SlowClientTest : public ValetdTest {
 protected:
  static void SetUpTestSuite() {
    ValetdConfig config;
    config.request_timeout_ms = kRequestTimeoutMs;
    config.max_connections = 2;
    StartServer(config);
  }
};

// Poco's socket timeout (30 s) is per read: bytes that keep coming would reset it for ever.
TEST_F(SlowClientTest, AHeaderSentAByteAtATimeIsCutOffAtTheRequestTimeout) {
  auto closed_after = TrickleUntilClosed(port(), "GET /api/status HTTP/1.1\r\nHost: valet\r\n",
                                         "X-Slow: 1\r\n", std::chrono::seconds(8));

  ASSERT_TRUE(closed_after.has_value()) << "the server kept the connection for 8 s";
  EXPECT_GE(closed_after->count(), kRequestTimeoutMs - 150);
  EXPECT_THAT(server().Log(),
              HasSubstr("http: connection closed reason=\"request not received within 500 ms\""));
}

TEST_F(SlowClientTest, ABodySentAByteAtATimeIsCutOffToo) {
  auto closed_after = TrickleUntilClosed(
      port(),
      "POST /api/jobs HTTP/1.1\r\nHost: valet\r\nContent-Type: application/json\r\n"
      "Content-Length: 1000\r\n\r\n{\"name\":",
      " ", std::chrono::seconds(8));

  ASSERT_TRUE(closed_after.has_value()) << "the server kept the connection for 8 s";
  EXPECT_EQ(CountJobs(client(), ""), 0);
}

TEST_F(SlowClientTest, SlowClientsHoldingEveryConnectionThreadDoNotLockOthersOut) {
  // max_connections is 2: two stalled clients take both threads.
  RawConnection first(port());
  RawConnection second(port());
  ASSERT_TRUE(first.Send("GET /api/status HTTP/1.1\r\n"));
  ASSERT_TRUE(second.Send("GET /api/status HTTP/1.1\r\n"));
  std::this_thread::sleep_for(milliseconds(100));

  HttpClient patient(port());
  HttpReply reply = patient.Get("/api/status");

  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_TRUE(first.ClosedByServer());
  EXPECT_TRUE(second.ClosedByServer());
}

TEST_F(SlowClientTest, ARequestThatArrivesInTimeIsServedWhateverTheApiTakes) {
  // The deadline covers receiving the request, not answering it: a job that is waited for
  // through several requests on one connection is unaffected.
  std::string id = SubmitJob(
      client(),
      {{"name", "slow"}, {"task_name", "sleep"}, {"task_params", {{"ms", 2 * kRequestTimeoutMs}}}});
  ASSERT_FALSE(id.empty());
  int local_port = client().LocalPort();
  std::this_thread::sleep_for(milliseconds(kRequestTimeoutMs / 2));
  EXPECT_EQ(WaitForJob(client(), id)["status"], "COMPLETED");
  EXPECT_EQ(client().LocalPort(), local_port) << "the keep-alive connection was closed";
}

class HeaderLimitsTest : public ValetdTest {};

void ExpectJsonError(const HttpReply& reply, int status) {
  EXPECT_EQ(reply.status, status) << reply.body;
  Json body = reply.json();
  EXPECT_EQ(body["error"], true) << reply.body;
  EXPECT_EQ(body["code"], status) << reply.body;
  EXPECT_TRUE(body["message"].is_string()) << reply.body;
}

TEST_F(HeaderLimitsTest, AnOversizedHeaderValueIs431) {
  HttpReply reply = client().Send(
      {.method = "GET", .path = "/api/status", .headers = {{"X-Big", std::string(9000, 'a')}}});

  ExpectJsonError(reply, 431);
  EXPECT_THAT(reply.json()["message"].get<std::string>(), HasSubstr("8192 bytes"));
  // The server is fine afterwards.
  EXPECT_EQ(client().Get("/api/status").status, 200);
}

TEST_F(HeaderLimitsTest, TooManyHeaderFieldsIs431) {
  HttpRequestSpec request{.method = "GET", .path = "/api/status"};
  for (int i = 0; i < 120; ++i) request.headers.emplace_back("X-Field-" + std::to_string(i), "v");

  ExpectJsonError(client().Send(request), 431);
}

TEST_F(HeaderLimitsTest, AnOversizedUriIs414) {
  ExpectJsonError(client().Get("/api/jobs/" + std::string(17000, 'a')), 414);
}

TEST_F(HeaderLimitsTest, AMalformedRequestLineIs400) {
  RawConnection connection(port());
  ASSERT_TRUE(connection.Send("NOT A REQUEST\r\n\r\n"));
  std::string reply = connection.ReceiveUntilClosed(std::chrono::seconds(5));

  EXPECT_THAT(reply, ::testing::StartsWith("HTTP/1.1 400 Bad Request\r\n")) << reply;
  EXPECT_THAT(reply, HasSubstr("\"error\":true,\"code\":400,\"message\":\"malformed request"));
}

}  // namespace
}  // namespace valet::e2e
