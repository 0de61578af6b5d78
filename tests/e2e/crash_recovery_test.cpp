// valetd killed with SIGKILL while a job runs: a valetd started again on the same backends runs
// the job to completion once the dead run's lease has run out. Run once per durable combination of
// repository and queue (VALET_E2E_REPOSITORY, VALET_E2E_QUEUE).

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "api_helpers.hpp"
#include "valetd_server.hpp"

namespace valet::e2e {
namespace {

using namespace std::chrono_literals;

TEST(CrashRecoveryTest, AJobRunningWhenValetdIsKilledCompletesAfterARestart) {
  ValetdConfig config;
  ASSERT_TRUE(config.repository != "memory" && config.queue != "memory")
      << "set VALET_E2E_REPOSITORY and VALET_E2E_QUEUE to durable backends";
  // Both processes use the same backends; the name follows the pattern scripts/servers.sh
  // cleans up after.
  config.backend_name = "e2e_" + std::to_string(::getpid()) + "_900";
  config.workers = 1;
  config.redis_lease_ms = 1000;
  config.lease_ms = 1000;  // the job of a dead process comes back after about a second
  auto first = ValetdServer::Start(config);
  HttpClient client(first->port());
  std::string id = SubmitJob(
      client,
      Json{{"name", "interrupted"}, {"task_name", "sleep"}, {"task_params", {{"ms", 1500}}}});
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(WaitForJobStatus(client, id, "IN_PROGRESS"));
  first->process().Signal(SIGKILL);
  ASSERT_TRUE(first->process().WaitForExit(kWaitLimit).has_value());

  auto second = ValetdServer::Start(config);
  HttpClient again(second->port());
  Json job = WaitForJob(again, id, 30s);
  EXPECT_EQ(job.value("status", ""), "COMPLETED") << job << "\n" << second->Log();
  auto exit = second->Stop();
  EXPECT_TRUE(exit && exit->code == 0);
}

}  // namespace
}  // namespace valet::e2e
