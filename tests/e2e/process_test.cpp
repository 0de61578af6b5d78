// valetd as a process: its command line, its start-up errors and its shutdown.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "startup_error.hpp"
#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// A valid test config with `from` replaced by `to`.
std::string ConfigWith(const std::string& from, const std::string& to) {
  ValetdConfig config;
  config.port = FreePort();
  std::string yaml = config.ToYaml();
  auto at = yaml.find(from);
  EXPECT_NE(at, std::string::npos) << from << " not in\n" << yaml;
  if (at != std::string::npos) yaml.replace(at, from.size(), to);
  return yaml;
}

TEST(ValetdProcessTest, VersionNamesTheLinkedAdapters) {
  ValetdRun run = RunValetd({"--version"});

  ASSERT_TRUE(run.exit.has_value());
  EXPECT_TRUE(run.exit->exited && run.exit->code == 0) << run.exit->ToString();
  EXPECT_THAT(
      run.out,
      MatchesRegex("valetd [0-9]+\\.[0-9]+\\.[0-9]+ \\(repository: " VALET_E2E_REPOSITORIES
                   "; job_queue: " VALET_E2E_QUEUES "; server: " VALET_E2E_SERVERS "\\)\n"));
  EXPECT_EQ(run.err, "");
}

TEST(ValetdProcessTest, UnknownArgumentIsAUsageError) {
  ValetdRun run = RunValetd({"--bogus"});

  ASSERT_TRUE(run.exit.has_value());
  EXPECT_TRUE(run.exit->exited && run.exit->code != 0) << run.exit->ToString();
  EXPECT_THAT(run.err, HasSubstr("--bogus"));
}

TEST(ValetdProcessTest, MissingConfigFileStopsStartUp) {
  ValetdRun run = RunValetd({"--config", "/nonexistent/valet-e2e.yaml"});

  ASSERT_TRUE(run.exit.has_value());
  EXPECT_TRUE(run.exit->exited && run.exit->code != 0) << run.exit->ToString();
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_THAT(run.err, HasSubstr("/nonexistent/valet-e2e.yaml"));
}

TEST(ValetdProcessTest, InvalidTimeoutUnitNamesTheKey) {
  std::string error = StartUpError(ConfigWith("timeout_unit: millisecond", "timeout_unit: hour"));

  EXPECT_THAT(error, HasSubstr("timeout_unit"));
  EXPECT_THAT(error, HasSubstr("hour"));
}

TEST(ValetdProcessTest, UnknownJobQueueOptionNamesTheKey) {
  std::string error =
      StartUpError(ConfigWith("job_queue:\n  option: memory", "job_queue:\n  option: kafka"));

  EXPECT_THAT(error, HasSubstr("job_queue.option"));
  EXPECT_THAT(error, HasSubstr("kafka"));
}

#ifdef VALET_E2E_UNBUILT_SECTION
TEST(ValetdProcessTest, BackendNotBuiltNamesTheBuildOption) {
  // A backend config.yaml may name but this build left out (chosen by CMake).
  std::string section = VALET_E2E_UNBUILT_SECTION;
  std::string backend = VALET_E2E_UNBUILT_BACKEND;
  std::string error = StartUpError(
      ConfigWith(section + ":\n  option: memory", section + ":\n  option: " + backend));

  std::string option = "VALET_WITH_" + backend;
  std::transform(option.begin(), option.end(), option.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  EXPECT_THAT(error, HasSubstr(section + ".option"));
  EXPECT_THAT(error, HasSubstr(option));
}
#endif

#ifdef VALET_E2E_GRPC_NOT_BUILT
TEST(ValetdProcessTest, GrpcNotBuiltNamesTheBuildOption) {
  std::string error = StartUpError(ConfigWith("protocol: http", "protocol: [http, grpc]"));

  EXPECT_THAT(error, HasSubstr("server.protocol: grpc is not built into this binary"));
  EXPECT_THAT(error, HasSubstr("VALET_WITH_GRPC"));
}
#endif

TEST(ValetdProcessTest, PortInUseStopsStartUp) {
  std::unique_ptr<ValetdServer> first = ValetdServer::Start(ValetdConfig{});
  ValetdConfig config;
  config.port = first->port();
  TempFile file(".yaml");
  file.Write(config.ToYaml());

  ValetdRun second = RunValetd({"--config", file.path()});

  ASSERT_TRUE(second.exit.has_value());
  EXPECT_TRUE(second.exit->exited && second.exit->code != 0) << second.exit->ToString();
  EXPECT_EQ(std::count(second.err.begin(), second.err.end(), '\n'), 1) << second.err;
  EXPECT_THAT(second.err, HasSubstr(std::to_string(config.port)));
  std::optional<ExitStatus> stopped = first->Stop();
  ASSERT_TRUE(stopped.has_value());
  EXPECT_TRUE(stopped->exited && stopped->code == 0) << stopped->ToString();
}

class ValetdShutdownTest : public ::testing::TestWithParam<int> {};

TEST_P(ValetdShutdownTest, SignalWhileAJobRunsLetsItFinishAndExitsZero) {
  std::unique_ptr<ValetdServer> server = ValetdServer::Start(ValetdConfig{});
  HttpClient client(server->port());
  std::string id =
      SubmitJob(client, {{"name", "nap"}, {"task_name", "sleep"}, {"task_params", {{"ms", 300}}}});
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(WaitForJobStatus(client, id, "IN_PROGRESS")) << server->Log();

  server->process().Signal(GetParam());
  std::optional<ExitStatus> exit = server->process().WaitForExit(kWaitLimit);

  ASSERT_TRUE(exit.has_value()) << "valetd did not stop; log:\n" << server->Log();
  EXPECT_TRUE(exit->exited && exit->code == 0) << exit->ToString() << "; log:\n" << server->Log();
  EXPECT_THAT(server->Log(), HasSubstr("stopped"));
  EXPECT_THAT(server->Log(), ::testing::Not(HasSubstr("asking them to stop")));
}

INSTANTIATE_TEST_SUITE_P(Signals, ValetdShutdownTest, ::testing::Values(SIGTERM, SIGINT),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == SIGTERM ? std::string("Sigterm")
                                                        : std::string("Sigint");
                         });

}  // namespace
}  // namespace valet::e2e
