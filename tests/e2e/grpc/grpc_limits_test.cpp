// What a gRPC client may not do: hold a connection without finishing its handshake
// (server.grpc.handshake_timeout closes it), keep an unused connection for ever
// (server.grpc.idle_timeout sends GOAWAY), or make valetd start unbounded threads
// (server.grpc.max_threads).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "grpc_test.hpp"
#include "raw_connection.hpp"
#include "startup_error.hpp"

namespace valet::e2e {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using ::testing::HasSubstr;

constexpr int kHandshakeTimeoutMs = 500;
// Longer than the handshake timeout, so that it is the handshake timeout that closes silent
// connections.
constexpr int kIdleTimeoutMs = 2000;
constexpr int kMaxThreads = 4;

::grpc::Status GetTasks(GrpcClient& client) {
  ::task::GetTasksResponse tasks;
  return client.Call(&::task::Task::Stub::GetTasks, client.tasks(), ::task::GetTasksRequest(),
                     &tasks);
}

class GrpcLimitsTest : public ValetdTest {
 protected:
  static void SetUpTestSuite() {
    ValetdConfig config = GrpcValetdConfig();
    config.grpc_handshake_timeout_ms = kHandshakeTimeoutMs;
    config.grpc_idle_timeout_ms = kIdleTimeoutMs;
    config.grpc_max_threads = kMaxThreads;
    StartServer(config);
  }
};

TEST_F(GrpcLimitsTest, ConnectionsThatNeverHandshakeAreClosedAndDoNotHoldUpOthers) {
  std::vector<std::unique_ptr<RawConnection>> silent;
  for (int i = 0; i < 3 * kMaxThreads; ++i) {
    silent.push_back(std::make_unique<RawConnection>(server().grpc_port()));
    ASSERT_TRUE(silent.back()->connected());
  }
  auto opened = steady_clock::now();

  GrpcClient client(server().grpc_port());
  ::grpc::Status status = GetTasks(client);
  EXPECT_TRUE(status.ok()) << Describe(status);

  // gRPC's own default would keep them for 120 s. The server sends its SETTINGS frame first,
  // so read that before looking for the end of the stream.
  for (auto& connection : silent) {
    connection->ReceiveUntilClosed(std::chrono::seconds(10));
    EXPECT_TRUE(connection->ClosedByServer()) << "a silent connection was kept for 10 s";
  }
  auto elapsed = steady_clock::now() - opened;
  EXPECT_GE(elapsed, milliseconds(kHandshakeTimeoutMs - 150));
  EXPECT_LT(elapsed, milliseconds(kIdleTimeoutMs));
}

TEST_F(GrpcLimitsTest, AnIdleConnectionIsSentGoawayAndTheClientReconnects) {
  GrpcClient client(server().grpc_port());
  ASSERT_TRUE(GetTasks(client).ok());
  ASSERT_EQ(client.channel()->GetState(false), GRPC_CHANNEL_READY);

  // After GOAWAY (a few seconds after the limit: gRPC drains the connection first) the channel
  // goes back to IDLE; without the limit it would stay READY.
  auto deadline = steady_clock::now() + std::chrono::seconds(10);
  while (client.channel()->GetState(false) == GRPC_CHANNEL_READY &&
         steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_EQ(client.channel()->GetState(false), GRPC_CHANNEL_IDLE);

  ::grpc::Status again = GetTasks(client);
  EXPECT_TRUE(again.ok()) << Describe(again);
}

TEST_F(GrpcLimitsTest, CallsBeyondTheThreadLimitAreRefusedNotQueuedAndTheServerCarriesOn) {
  constexpr int kCallers = 4 * kMaxThreads;
  constexpr int kCallsEach = 25;
  std::vector<std::vector<::grpc::Status>> statuses(kCallers);
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      GrpcClient client(server().grpc_port());
      for (int i = 0; i < kCallsEach; ++i) statuses[c].push_back(GetTasks(client));
    });
  }
  for (std::thread& caller : callers) caller.join();

  int served = 0;
  for (const auto& of_one_caller : statuses) {
    for (const ::grpc::Status& status : of_one_caller) {
      if (status.ok()) {
        ++served;
        continue;
      }
      EXPECT_EQ(status.error_code(), ::grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(status);
    }
  }
  EXPECT_GT(served, 0);
  GrpcClient after(server().grpc_port());
  ::grpc::Status status = GetTasks(after);
  EXPECT_TRUE(status.ok()) << Describe(status);
}

TEST(GrpcLimitSettingsTest, OutOfRangeLimitsAreOneLineErrors) {
  ValetdConfig config = GrpcValetdConfig();
  config.grpc_max_threads = 1;
  EXPECT_THAT(StartUpError(config.ToYaml()),
              HasSubstr("server.grpc.max_threads must be an integer from 4"));

  config = GrpcValetdConfig();
  config.grpc_handshake_timeout_ms = 10;
  EXPECT_THAT(StartUpError(config.ToYaml()),
              HasSubstr("server.grpc.handshake_timeout must be an integer from 100"));
}

}  // namespace
}  // namespace valet::e2e
