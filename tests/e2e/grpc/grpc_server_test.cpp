// valetd's gRPC server as a process: its settings, its port and its shutdown.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <sstream>
#include <thread>

#include "grpc_test.hpp"
#include "startup_error.hpp"

namespace valet::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

::grpc::Status GetTasks(GrpcClient& client) {
  ::task::GetTasksResponse tasks;
  return client.Call(&::task::Task::Stub::GetTasks, client.tasks(), ::task::GetTasksRequest(),
                     &tasks);
}

// The gRPC test config, gRPC started first, with one line of its server.grpc section replaced.
std::string GrpcYamlWith(const std::string& from, const std::string& to) {
  ValetdConfig config = GrpcValetdConfig();
  config.protocols = {"grpc", "http"};
  std::string yaml = config.ToYaml();
  auto at = yaml.find(from, yaml.find("  grpc:\n"));
  EXPECT_NE(at, std::string::npos) << from << " not in\n" << yaml;
  if (at != std::string::npos) yaml.replace(at, from.size(), to);
  return yaml;
}

TEST(GrpcServerTest, PortZeroPicksAFreePortAndLogsIt) {
  ValetdConfig config = GrpcValetdConfig();
  config.grpc_port = -1;
  std::unique_ptr<ValetdServer> server = ValetdServer::Start(config);
  ASSERT_GT(server->grpc_port(), 0) << server->Log();
  EXPECT_THAT(server->Log(), HasSubstr("grpc: listening address=127.0.0.1:" +
                                       std::to_string(server->grpc_port())));
  {
    GrpcClient client(server->grpc_port());
    ::grpc::Status status = GetTasks(client);
    EXPECT_TRUE(status.ok()) << Describe(status);
  }
  std::optional<ExitStatus> stopped = server->Stop();
  ASSERT_TRUE(stopped.has_value());
  EXPECT_TRUE(stopped->exited && stopped->code == 0) << stopped->ToString();
}

TEST(GrpcServerTest, APortInUseStopsStartUp) {
  std::unique_ptr<ValetdServer> first = ValetdServer::Start(GrpcValetdConfig());
  ValetdConfig config = GrpcValetdConfig();
  config.protocols = {"grpc", "http"};
  config.port = FreePort();
  config.grpc_port = first->grpc_port();

  // gRPC's own line says why, then valet's.
  std::string error = StartUpError(config.ToYaml(), 2);
  EXPECT_THAT(error, HasSubstr("Address already in use"));

  EXPECT_THAT(error,
              HasSubstr("cannot serve gRPC on 127.0.0.1:" + std::to_string(config.grpc_port)));
  {
    GrpcClient client(first->grpc_port());
    EXPECT_TRUE(GetTasks(client).ok());
  }
  std::optional<ExitStatus> stopped = first->Stop();
  ASSERT_TRUE(stopped.has_value());
  EXPECT_TRUE(stopped->exited && stopped->code == 0) << stopped->ToString();
}

TEST(GrpcServerTest, BadSettingsAreOneLineErrorsNamingTheKey) {
  EXPECT_THAT(StartUpError(GrpcYamlWith("max_message_bytes:", "max_mesage_bytes:")),
              HasSubstr("server.grpc.max_mesage_bytes: unknown key - valid keys: host, port, "
                        "max_message_bytes"));
  EXPECT_THAT(StartUpError(GrpcYamlWith("max_message_bytes: 65536", "max_message_bytes: 0")),
              HasSubstr("server.grpc.max_message_bytes must be an integer from 1"));
  EXPECT_THAT(StartUpError(GrpcYamlWith("host: 127.0.0.1", "host: \"\"")),
              HasSubstr("server.grpc.host must be a host name or address"));
  // With no API token a non-loopback address is refused before anything listens...
  EXPECT_THAT(StartUpError(GrpcYamlWith("host: 127.0.0.1", "host: 192.0.2.1")),
              HasSubstr("server.grpc.host is 192.0.2.1, which is not a loopback address"));
  // ...and with allow_unauthenticated it is tried, and this one cannot be bound.
  std::string allowed = GrpcYamlWith("host: 127.0.0.1", "host: 192.0.2.1");
  allowed.replace(allowed.find("server:\n"), 8, "server:\n  allow_unauthenticated: true\n");
  EXPECT_THAT(StartUpError(allowed, 2), HasSubstr("cannot serve gRPC on 192.0.2.1:"));
}

TEST(GrpcServerTest, ServesGrpcAloneWithoutHttp) {
  ValetdConfig config = GrpcValetdConfig();
  config.protocols = {"grpc"};
  config.port = FreePort();
  config.grpc_port = FreePort();
  TempFile file(".yaml");
  file.Write(config.ToYaml());
  ValetdProcess process({"--config", file.path()});
  auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (process.Stderr().find("valet: started") == std::string::npos && process.Running() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_THAT(process.Stderr(), HasSubstr("valet: started"));

  {
    GrpcClient client(config.grpc_port);
    ::grpc::Status status = GetTasks(client);
    EXPECT_TRUE(status.ok()) << Describe(status);
  }
  EXPECT_EQ(HttpClient(config.port).Get("/api/status").status, 0);  // nothing listens

  process.Signal(SIGTERM);
  std::optional<ExitStatus> exit = process.WaitForExit(kWaitLimit);
  ASSERT_TRUE(exit.has_value()) << process.Stderr();
  EXPECT_TRUE(exit->exited && exit->code == 0) << exit->ToString() << "\n" << process.Stderr();
}

TEST(GrpcServerTest, SigtermWhileCallsArriveStopsCleanly) {
  std::unique_ptr<ValetdServer> server = ValetdServer::Start(GrpcValetdConfig());
  GrpcClient client(server->grpc_port());
  std::atomic<int> answered{0};
  std::atomic<bool> stop{false};
  std::thread caller([&] {
    while (!stop) {
      if (GetTasks(client).ok()) {
        ++answered;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
  });
  auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (answered < 10 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::optional<ExitStatus> stopped = server->Stop();
  stop = true;
  caller.join();
  ASSERT_TRUE(stopped.has_value()) << server->Log();
  EXPECT_TRUE(stopped->exited && stopped->code == 0) << stopped->ToString() << "\n"
                                                     << server->Log();
  EXPECT_GE(answered.load(), 10);
}

}  // namespace
}  // namespace valet::e2e
