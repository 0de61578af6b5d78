// Three valetd sharing one repository run one schedule that ticks every second, for 30 s: each
// tick must give exactly one job, whichever instance submits it, and none may be skipped.

#include <gtest/gtest.h>

#include <unistd.h>

#include <map>
#include <memory>
#include <set>
#include <thread>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using namespace std::chrono_literals;

constexpr auto kRunFor = 30s;
constexpr int kInstances = 3;

TEST(ScheduleFleetTest, ThreeInstancesSubmitEachTickOnce) {
  ValetdConfig config;
  config.backend_name = "fleet_" + std::to_string(getpid());
  std::vector<std::unique_ptr<ValetdServer>> fleet;
  for (int i = 0; i < kInstances; ++i) {
    config.port = 0;
    fleet.push_back(ValetdServer::Start(config));
  }
  HttpClient client(fleet[0]->port());
  HttpReply created =
      client.Post("/api/schedules", {{"name", "fleet"},
                                     {"every", "1s"},
                                     {"job", {{"name", "fleet tick"}, {"task_name", "noop"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json().value("id", "");

  // Each run a schedule records names its tick and the job it made; the schedule keeps the last
  // ten, so reading it every 300 ms sees every run. Reads go to each instance in turn.
  std::map<std::string, std::set<std::string>> jobs_by_tick;
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (auto& server : fleet) clients.push_back(std::make_unique<HttpClient>(server->port()));
  auto until = std::chrono::steady_clock::now() + kRunFor;
  for (int round = 0; std::chrono::steady_clock::now() < until; ++round) {
    HttpReply reply = clients[round % kInstances]->Get("/api/schedules/" + id);
    ASSERT_EQ(reply.status, 200) << reply.body;
    Json schedule = reply.json();
    for (const Json& run : schedule["last_runs"]) {
      EXPECT_FALSE(run.contains("missed")) << "no tick may be missed: " << run.dump();
      EXPECT_FALSE(run.contains("error")) << run.dump();
      jobs_by_tick[run.value("tick", "")].insert(run.value("job_id", ""));
    }
    std::this_thread::sleep_for(300ms);
  }
  HttpReply paused = client.Post("/api/schedules/" + id + "/pause", Json::object());
  ASSERT_EQ(paused.status, 200) << paused.body;
  Json last_seen = paused.json();
  for (const Json& run : last_seen["last_runs"]) {
    jobs_by_tick[run.value("tick", "")].insert(run.value("job_id", ""));
  }
  std::this_thread::sleep_for(1s);  // a tick submitted just before the pause settles

  // One job per tick, and the ticks one second apart with none left out.
  ASSERT_GE(jobs_by_tick.size(), 25u);
  std::set<std::string> recorded_jobs;
  std::optional<UtcTime> previous;
  for (const auto& [tick, jobs] : jobs_by_tick) {
    EXPECT_EQ(jobs.size(), 1u) << "tick " << tick << " made " << jobs.size() << " jobs";
    recorded_jobs.insert(jobs.begin(), jobs.end());
    auto at = ParseUtc(tick);
    ASSERT_TRUE(at) << tick;
    if (previous) {
      EXPECT_EQ(*at - *previous, 1s) << "a tick is missing before " << tick;
    }
    previous = at;
  }

  // Every job the repository has is one of those, but for at most one tick that was due when the
  // schedule was paused (submitted, not yet recorded); each ran once.
  Json listed = client.Get("/api/jobs").json()["jobs"];
  std::size_t unrecorded = 0;
  for (const Json& job : listed) {
    if (!recorded_jobs.count(job.value("id", ""))) ++unrecorded;
  }
  EXPECT_LE(unrecorded, 1u) << listed.dump();
  EXPECT_EQ(listed.size(), recorded_jobs.size() + unrecorded);
  for (const std::string& job_id : recorded_jobs) {
    EXPECT_EQ(WaitForJob(client, job_id)["status"], "COMPLETED");
  }
  for (auto& server : fleet) {
    auto exit = server->Stop();
    ASSERT_TRUE(exit.has_value());
  }
}

}  // namespace
}  // namespace valet::e2e
