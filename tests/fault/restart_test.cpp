// The database or broker killed and started again while valetd runs and clients keep
// submitting: submits during the outage are refused (503), never acknowledged and then lost;
// every acknowledged job runs to COMPLETED once the server is back. It stops a shared server, so
// it runs alone; VALET_E2E_REPOSITORY and VALET_E2E_QUEUE name the backends, and the server of
// the durable queue (or else of the repository) is the one restarted.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "fault_support.hpp"
#include "ledger.hpp"
#include "valet/testing/server_control.hpp"
#include "valetd_server.hpp"

namespace valet::fault {
namespace {

using testing::TestServer;

TestServer ServerOf(const std::string& backend) {
  if (backend == "mysql") return TestServer::kMariadb;
  if (backend == "redis") return TestServer::kRedis;
  if (backend == "rabbitmq") return TestServer::kRabbitmq;
  return TestServer::kPostgres;
}

TEST(BackendRestartTest, NothingAcknowledgedIsLost) {
  e2e::ValetdConfig config = FaultConfig("restart");
  ASSERT_TRUE(config.repository != "memory" || config.queue != "memory");
  TestServer server = ServerOf(config.queue != "memory" ? config.queue : config.repository);
  auto valetd = e2e::ValetdServer::Start(config);
  Ledger ledger;

  std::atomic<bool> submitting{true};
  std::atomic<int> refused{0};
  std::thread client([&] {
    // Submits go on all through the outage; each 202 is acknowledged in the ledger.
    for (int round = 0; submitting; ++round) {
      int accepted = ledger.Submit(valetd->port(), 20, 2, 5);
      refused += 20 - accepted;
    }
  });
  ASSERT_TRUE(WaitUntil([&] { return ledger.CountRuns() >= 200; }));
  EXPECT_EQ(testing::StopServer(server), "");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(testing::StartServers(), "");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  submitting = false;
  client.join();

  Census census = ledger.Count(valetd->port());
  std::printf("fault restart of %s + %s: %d submits refused during the outage; %s\n",
              config.repository.c_str(), config.queue.c_str(), refused.load(),
              census.ToString().c_str());
  EXPECT_GT(refused, 0) << "no submit was refused: the server was never really down";
  EXPECT_EQ(census.lost, 0) << census.ToString() << "\n" << valetd->Log();
  // Not a pass criterion here: a server killed between storing a job and answering can leave a
  // job the client was refused (it retries; an Idempotency-Key makes that safe).
  auto exit = valetd->Stop();
  EXPECT_TRUE(exit && exit->exited && exit->code == 0);
}

}  // namespace
}  // namespace valet::fault
