// The server restarts under a live repository and queue: calls fail as unavailable while it is
// down, and work again once it is back, with the data kept (appendonly) and no new adapters.
// Runs alone (RUN_SERIAL): it stops the server every other Redis test uses.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "redis_test_support.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

pid_t ServerPid(const std::string& pid_file) {
  std::ifstream file(pid_file);
  pid_t pid = 0;
  file >> pid;
  return pid;
}

// SIGTERM: Redis flushes its append-only file and exits.
bool StopServer(const std::string& pid_file) {
  pid_t pid = ServerPid(pid_file);
  if (pid <= 0 || ::kill(pid, SIGTERM) != 0) return false;
  for (int i = 0; i < 600 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(50ms);
  return ::kill(pid, 0) != 0;
}

bool StartServer(const std::string& conf) {
  std::string command = "redis-server " + conf + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

template <typename Adapter>
bool WaitHealthy(Adapter& adapter) {
  for (int i = 0; i < 300; ++i) {
    if (adapter.CheckHealth().ok()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

TEST(RedisRestartTest, RepositoryAndQueueRecoverAfterTheServerRestarts) {
  std::string pid_file = Env("VALET_REDIS_PID_FILE");
  std::string conf = Env("VALET_REDIS_CONF");
  ASSERT_FALSE(pid_file.empty() || conf.empty())
      << "VALET_REDIS_PID_FILE/CONF are not set: start the server with "
         "eval \"$(scripts/servers.sh)\"";
  std::string prefix = FreshPrefix();
  auto repository = OpenRepository(prefix);
  auto queue = OpenQueue(prefix);
  ASSERT_TRUE(repository && queue);

  core::UuidGenerator ids;
  Job job;
  job.id = ids.NewId();
  job.name = "before";
  job.task_name = "noop";
  job.created_at = sys_days{2030y / 1 / 1};
  ASSERT_TRUE(repository->CreateJob(job).ok());
  ASSERT_TRUE(queue->Push(job.id).ok());

  ASSERT_TRUE(StopServer(pid_file)) << "could not stop the server";
  EXPECT_FALSE(repository->CheckHealth().ok());
  EXPECT_FALSE(queue->CheckHealth().ok());
  EXPECT_EQ(repository->GetJob(job.id).status().code(), StatusCode::kUnavailable);
  Job during = job;
  during.id = ids.NewId();
  EXPECT_EQ(repository->CreateJob(during).code(), StatusCode::kUnavailable);
  EXPECT_EQ(queue->Push(during.id).code(), StatusCode::kUnavailable);
  auto start = steady_clock::now();
  auto received = queue->Receive(milliseconds(200));
  EXPECT_EQ(received.status().code(), StatusCode::kUnavailable);
  EXPECT_LT(steady_clock::now() - start, seconds(2));

  ASSERT_TRUE(StartServer(conf)) << "could not start the server again";
  ASSERT_TRUE(WaitHealthy(*repository));
  ASSERT_TRUE(WaitHealthy(*queue));
  auto kept = repository->GetJob(job.id);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->name, "before");
  EXPECT_EQ(repository->GetJob(during.id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(repository->CreateJob(during).ok());
  EXPECT_TRUE(repository->StartJob(job.id, job.created_at + 1s).ok());  // scripts load again

  auto delivery = queue->Receive(seconds(2));
  ASSERT_TRUE(delivery.ok()) << delivery.status().ToString();
  ASSERT_TRUE(delivery->has_value());
  EXPECT_EQ((*delivery)->job_id, job.id);
  EXPECT_TRUE(queue->Ack(**delivery).ok());
}

}  // namespace
}  // namespace valet::testing
