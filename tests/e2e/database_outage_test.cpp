// valetd against a database or broker that goes away: the API answers 503 and /api/status says
// which backend is unhealthy while it is down, and valetd carries on by itself once it is back.
// Run once per server (VALET_E2E_REPOSITORY and VALET_E2E_QUEUE choose the backends; the server
// of the durable one is stopped), alone: it stops a shared server.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "api_helpers.hpp"
#include "valet/testing/server_control.hpp"
#include "valetd_server.hpp"

namespace valet::e2e {
namespace {

using namespace std::chrono_literals;
using testing::TestServer;

TestServer ServerOf(const std::string& backend) {
  if (backend == "mysql") return TestServer::kMariadb;
  if (backend == "redis") return TestServer::kRedis;
  if (backend == "rabbitmq") return TestServer::kRabbitmq;
  return TestServer::kPostgres;
}

bool Healthy(HttpClient& client) {
  HttpReply reply = client.Get("/api/status");
  return reply.status == 200 && reply.json().value("storage_healthy", false) &&
         reply.json().value("job_queue_healthy", false);
}

// The pools reconnect on the next call after the server is back; allow 30 s for the restart.
bool WaitUntilHealthy(HttpClient& client) {
  for (int i = 0; i < 300; ++i) {
    if (Healthy(client)) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

Json EchoJob(const std::string& name) {
  return {{"name", name}, {"task_name", "echo"}, {"task_params", {{"said", name}}}};
}

class DatabaseOutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(config_.repository != "memory" || config_.queue != "memory")
        << "set VALET_E2E_REPOSITORY or VALET_E2E_QUEUE to a backend with a server";
  }
  void TearDown() override {
    EXPECT_EQ(testing::StartServers(), "");
    if (HasFailure() && server_) {
      std::printf("---- valetd log ----\n%s---- end of valetd log ----\n", server_->Log().c_str());
    }
    if (server_) {
      auto exit = server_->Stop();
      EXPECT_TRUE(exit && exit->code == 0);
    }
  }

  // The backend whose server goes away: the queue's when it has one, else the repository's.
  std::string durable() const {
    return config_.queue != "memory" ? config_.queue : config_.repository;
  }
  bool storage_down() const { return config_.repository == durable(); }
  bool queue_down() const { return config_.queue == durable(); }

  ValetdConfig config_;
  std::unique_ptr<ValetdServer> server_;
};

TEST_F(DatabaseOutageTest, AnswersUnavailableWhileDownAndRecoversWithoutRestart) {
  server_ = ValetdServer::Start(config_);
  HttpClient client(server_->port());
  std::string before = SubmitJob(client, EchoJob("before"));
  ASSERT_FALSE(before.empty());
  ASSERT_EQ(WaitForJob(client, before).value("status", ""), "COMPLETED");

  ASSERT_EQ(testing::StopServer(ServerOf(durable())), "");
  HttpReply status = client.Get("/api/status");
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(status.json()["storage_healthy"], !storage_down());
  EXPECT_EQ(status.json()["job_queue_healthy"], !queue_down());
  EXPECT_FALSE(ErrorMessage(client.Post("/api/jobs", EchoJob("during")), 503).empty());
  if (storage_down()) {
    EXPECT_FALSE(ErrorMessage(client.Get("/api/jobs/" + before), 503).empty());
    EXPECT_FALSE(ErrorMessage(client.Get("/api/jobs"), 503).empty());
  } else {
    EXPECT_EQ(client.Get("/api/jobs/" + before).status, 200);
    EXPECT_EQ(CountJobs(client), 1);  // the job the queue refused was not kept
  }

  ASSERT_EQ(testing::StartServers(), "");
  ASSERT_TRUE(WaitUntilHealthy(client));
  Json kept = client.Get("/api/jobs/" + before).json();
  EXPECT_EQ(kept.value("status", ""), "COMPLETED") << kept;
  EXPECT_EQ(CountJobs(client), 1);  // the refused job left nothing behind
  std::string after = SubmitJob(client, EchoJob("after"));
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(WaitForJob(client, after).value("status", ""), "COMPLETED");
}

TEST_F(DatabaseOutageTest, StartsWhileTheServerIsDownAndServesOnceItIsUp) {
  ASSERT_EQ(testing::StopServer(ServerOf(durable())), "");
  server_ = ValetdServer::Start(config_);
  HttpClient client(server_->port());
  EXPECT_FALSE(Healthy(client));
  EXPECT_FALSE(ErrorMessage(client.Post("/api/jobs", EchoJob("early")), 503).empty());

  ASSERT_EQ(testing::StartServers(), "");
  ASSERT_TRUE(WaitUntilHealthy(client));
  std::string job = SubmitJob(client, EchoJob("late"));
  ASSERT_FALSE(job.empty());
  EXPECT_EQ(WaitForJob(client, job).value("status", ""), "COMPLETED");
}

}  // namespace
}  // namespace valet::e2e
