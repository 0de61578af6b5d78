// valetd against a database (or Redis) that goes away: the API answers 503 and /api/status says
// the storage is unhealthy while it is down, and valetd carries on by itself once it is back. Run
// once per database (VALET_E2E_REPOSITORY, and VALET_E2E_QUEUE for Redis), alone: it stops the
// shared server.

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

TestServer ServerOf(const std::string& repository) {
  if (repository == "mysql") return TestServer::kMariadb;
  if (repository == "redis") return TestServer::kRedis;
  return TestServer::kPostgres;
}

bool StorageHealthy(HttpClient& client) {
  HttpReply reply = client.Get("/api/status");
  return reply.status == 200 && reply.json().value("storage_healthy", false);
}

// The pool reconnects on the next call after the server is back; allow 30 s for the restart.
bool WaitUntilStorageHealthy(HttpClient& client) {
  for (int i = 0; i < 300; ++i) {
    if (StorageHealthy(client)) return true;
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
    ASSERT_NE(config_.repository, "memory")
        << "set VALET_E2E_REPOSITORY to postgres, mysql or redis";
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

  ValetdConfig config_;
  std::unique_ptr<ValetdServer> server_;
};

TEST_F(DatabaseOutageTest, AnswersUnavailableWhileDownAndRecoversWithoutRestart) {
  server_ = ValetdServer::Start(config_);
  HttpClient client(server_->port());
  std::string before = SubmitJob(client, EchoJob("before"));
  ASSERT_FALSE(before.empty());
  ASSERT_EQ(WaitForJob(client, before).value("status", ""), "COMPLETED");

  ASSERT_EQ(testing::StopServer(ServerOf(config_.repository)), "");
  HttpReply status = client.Get("/api/status");
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(status.json()["storage_healthy"], false);
  // A queue on the same server is down with it.
  EXPECT_EQ(status.json()["job_queue_healthy"], config_.queue != config_.repository);
  EXPECT_FALSE(ErrorMessage(client.Post("/api/jobs", EchoJob("during")), 503).empty());
  EXPECT_FALSE(ErrorMessage(client.Get("/api/jobs/" + before), 503).empty());
  EXPECT_FALSE(ErrorMessage(client.Get("/api/jobs"), 503).empty());

  ASSERT_EQ(testing::StartServers(), "");
  ASSERT_TRUE(WaitUntilStorageHealthy(client));
  Json kept = client.Get("/api/jobs/" + before).json();
  EXPECT_EQ(kept.value("status", ""), "COMPLETED") << kept;
  EXPECT_EQ(CountJobs(client), 1);  // the refused job left nothing behind
  std::string after = SubmitJob(client, EchoJob("after"));
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(WaitForJob(client, after).value("status", ""), "COMPLETED");
}

TEST_F(DatabaseOutageTest, StartsWhileTheDatabaseIsDownAndServesOnceItIsUp) {
  ASSERT_EQ(testing::StopServer(ServerOf(config_.repository)), "");
  server_ = ValetdServer::Start(config_);
  HttpClient client(server_->port());
  EXPECT_FALSE(StorageHealthy(client));
  EXPECT_FALSE(ErrorMessage(client.Post("/api/jobs", EchoJob("early")), 503).empty());

  ASSERT_EQ(testing::StartServers(), "");
  ASSERT_TRUE(WaitUntilStorageHealthy(client));
  std::string job = SubmitJob(client, EchoJob("late"));
  ASSERT_FALSE(job.empty());
  EXPECT_EQ(WaitForJob(client, job).value("status", ""), "COMPLETED");
}

}  // namespace
}  // namespace valet::e2e
