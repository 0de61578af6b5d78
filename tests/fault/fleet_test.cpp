// Several valetd processes sharing one durable queue and repository (VALET_E2E_REPOSITORY,
// VALET_E2E_QUEUE): scheduled jobs run once however many instances claim them, a stalled worker
// cannot complete a job another one took over, and API-only and worker-only instances split the
// work between them.

#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <thread>

#include "api_helpers.hpp"
#include "fault_support.hpp"
#include "ledger.hpp"
#include "valetd_server.hpp"

namespace valet::fault {
namespace {

using namespace std::chrono_literals;

class FleetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(e2e::ValetdConfig::DefaultRepository() != "memory" &&
                e2e::ValetdConfig::DefaultQueue() != "memory")
        << "set VALET_E2E_REPOSITORY and VALET_E2E_QUEUE to shared backends";
  }
};

TEST_F(FleetTest, ThreeInstancesRunEachScheduledJobOnceThoughOneIsKilled) {
  e2e::ValetdConfig config = FaultConfig("fleet");
  std::vector<std::unique_ptr<e2e::ValetdServer>> fleet;
  for (int i = 0; i < 3; ++i) fleet.push_back(e2e::ValetdServer::Start(config));
  Ledger ledger;
  // All due in the same second, a few seconds from now: every instance claims at once.
  std::string due = e2e::FormatRfc3339(e2e::NowUtc() + 4s);
  ASSERT_EQ(ledger.Submit(fleet[0]->port(), 1000, 8, 1, due), 1000);
  fleet[2]->process().Signal(SIGKILL);  // dies before the jobs fall due
  ASSERT_TRUE(fleet[2]->process().WaitForExit(10s).has_value());

  Census census = ledger.Count(fleet[1]->port());
  std::printf("fault fleet on %s + %s: %s\n", config.repository.c_str(), config.queue.c_str(),
              census.ToString().c_str());
  EXPECT_EQ(census.lost, 0) << census.ToString();
  EXPECT_EQ(census.duplicated, 0) << census.ToString();
  EXPECT_EQ(census.unexpected, 0) << census.ToString();
}

TEST_F(FleetTest, AStalledWorkerCannotCompleteAJobAnotherTookOver) {
  e2e::ValetdConfig config = FaultConfig("stall");
  config.workers = 1;
  auto stalled = e2e::ValetdServer::Start(config);
  Ledger ledger;
  e2e::HttpClient client(stalled->port());
  std::string id = e2e::SubmitJob(client, ledger.JobRequest("stalls", 2000));
  ASSERT_TRUE(e2e::WaitForJobStatus(client, id, "IN_PROGRESS"));
  // IN_PROGRESS is stored just before the task starts: let it get into its 2 s sleep, so that it
  // wakes past its end. Stopped before it began, it would start its 2 s on waking, learn that its
  // lease is lost, and stop without recording a run.
  std::this_thread::sleep_for(200ms);
  stalled->process().Signal(SIGSTOP);

  // The lease (1 s) runs out; the second instance takes the job over and completes it.
  auto owner = e2e::ValetdServer::Start(config);
  e2e::HttpClient owner_client(owner->port());
  Json job = e2e::WaitForJob(owner_client, id, 30s);
  EXPECT_EQ(job.value("status", ""), "COMPLETED") << job << owner->Log();
  int owner_pid = owner->process().pid();
  EXPECT_EQ(owner_client.Get("/api/jobs/" + id + "/results").json()["metadata"].value("pid", 0),
            owner_pid);

  // The stalled worker wakes with its task past its end: its completion is fenced off.
  stalled->process().Signal(SIGCONT);
  EXPECT_TRUE(WaitUntil([&] { return ledger.CountRuns() >= 2; }, 10s))
      << "the stalled task should finish its run once it wakes";
  std::this_thread::sleep_for(500ms);  // time for its (refused) write
  Json result = owner_client.Get("/api/jobs/" + id + "/results").json();
  EXPECT_EQ(result["metadata"].value("pid", 0), owner_pid) << result;
  Json after = owner_client.Get("/api/jobs/" + id).json();
  EXPECT_EQ(after.value("status", ""), "COMPLETED");
  EXPECT_EQ(after.value("attempt", 0), 2) << after;
  ASSERT_EQ(after["attempts"].size(), 1u) << after;
  EXPECT_TRUE(after["attempts"][0].value("lost", false)) << after;
}

TEST_F(FleetTest, ApiOnlyAndWorkerOnlyInstancesSplitTheWork) {
  e2e::ValetdConfig api_config = FaultConfig("roles");
  api_config.role = "api";
  e2e::ValetdConfig worker_config = api_config;
  worker_config.role = "worker";
  auto api = e2e::ValetdServer::Start(api_config);
  auto worker = e2e::ValetdServer::Start(worker_config);
  auto second_worker = e2e::ValetdServer::Start(worker_config);
  Ledger ledger;
  ASSERT_EQ(ledger.Submit(api->port(), 200, 4, 1), 200);
  Census census = ledger.Count(api->port());
  EXPECT_EQ(census.lost, 0) << census.ToString() << api->Log() << worker->Log();
  EXPECT_EQ(census.duplicated, 0) << census.ToString();
  std::set<int> pids;
  for (const auto& [id, runs] : ledger.Runs()) pids.insert(runs.front().pid);
  EXPECT_EQ(pids.count(api->process().pid()), 0u) << "the API-only instance ran jobs";
  EXPECT_TRUE(pids.count(worker->process().pid()) || pids.count(second_worker->process().pid()));
  for (auto* server : {api.get(), worker.get(), second_worker.get()}) {
    auto exit = server->Stop();
    EXPECT_TRUE(exit && exit->exited && exit->code == 0) << server->Log();
  }
}

}  // namespace
}  // namespace valet::fault
