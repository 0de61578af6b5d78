// The server restarts under a live repository: calls fail as unavailable while it is down, and
// work again once it is back, with the data kept and no new repository. Runs alone (RUN_SERIAL):
// it stops the server every other test uses.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "postgres_test_support.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// The postmaster's PID, from the first line of postmaster.pid; 0 if it is not running.
pid_t ServerPid(const std::string& data) {
  std::ifstream file(data + "/postmaster.pid");
  pid_t pid = 0;
  file >> pid;
  return pid;
}

bool StopServer(const std::string& data) {
  pid_t pid = ServerPid(data);
  if (pid <= 0 || ::kill(pid, SIGINT) != 0) return false;  // SIGINT: fast shutdown
  for (int i = 0; i < 600 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(50ms);
  return ::kill(pid, 0) != 0;
}

bool StartServer(const std::string& data, const std::string& bin) {
  // restart reuses the options of the last start (postmaster.opts).
  std::string command = bin + "/pg_ctl -D " + data + " -w -t 60 restart >/dev/null 2>&1";
  if (::geteuid() == 0) command = "runuser -u postgres -- " + command;
  return std::system(command.c_str()) == 0;
}

TEST(PostgresRestartTest, RepositoryRecoversAfterTheServerRestarts) {
  std::string data = Env("VALET_POSTGRES_DATA");
  std::string bin = Env("VALET_POSTGRES_BIN");
  ASSERT_FALSE(data.empty() || bin.empty()) << "VALET_POSTGRES_DATA/BIN are not set: start the "
                                               "server with eval \"$(scripts/servers.sh)\"";
  auto repository = OpenFreshRepository();
  ASSERT_NE(repository, nullptr);

  core::UuidGenerator ids;
  Job job;
  job.id = ids.NewId();
  job.name = "before";
  job.task_name = "noop";
  job.created_at = sys_days{2030y / 1 / 1};
  ASSERT_TRUE(repository->CreateJob(job).ok());

  ASSERT_TRUE(StopServer(data)) << "could not stop the server";
  EXPECT_FALSE(repository->CheckHealth().ok());
  EXPECT_EQ(repository->GetJob(job.id).status().code(), StatusCode::kUnavailable);
  Job during = job;
  during.id = ids.NewId();
  EXPECT_EQ(repository->CreateJob(during).code(), StatusCode::kUnavailable);

  ASSERT_TRUE(StartServer(data, bin)) << "could not start the server again";
  bool healthy = false;
  for (int i = 0; i < 300 && !healthy; ++i) {
    healthy = repository->CheckHealth().ok();
    if (!healthy) std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(healthy);
  auto kept = repository->GetJob(job.id);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->name, "before");
  EXPECT_EQ(repository->GetJob(during.id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(repository->CreateJob(during).ok());
}

}  // namespace
}  // namespace valet::testing
