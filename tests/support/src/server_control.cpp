#include "valet/testing/server_control.hpp"

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace valet::testing {

namespace {

using namespace std::chrono_literals;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// The server's pid file and the signal that makes it shut down quickly but cleanly.
struct Shutdown {
  std::string pid_file;
  int signal;
};

Shutdown ShutdownFor(TestServer server) {
  switch (server) {
    case TestServer::kPostgres: {
      std::string data = Env("VALET_POSTGRES_DATA");
      // SIGINT: PostgreSQL's "fast" shutdown.
      return {data.empty() ? "" : data + "/postmaster.pid", SIGINT};
    }
    case TestServer::kMariadb:
      return {Env("VALET_MARIADB_PID_FILE"), SIGTERM};
    case TestServer::kRedis:
      // SIGTERM: Redis writes its append-only file out and exits.
      return {Env("VALET_REDIS_PID_FILE"), SIGTERM};
    case TestServer::kRabbitmq:
      return {Env("VALET_RABBITMQ_PID_FILE"), SIGTERM};
  }
  return {"", 0};
}

}  // namespace

std::string StopServer(TestServer server) {
  Shutdown shutdown = ShutdownFor(server);
  if (shutdown.pid_file.empty()) {
    return "the server's pid file is not known: start the servers with "
           "eval \"$(scripts/servers.sh)\"";
  }
  std::ifstream file(shutdown.pid_file);
  pid_t pid = 0;
  file >> pid;  // the first line holds the PID in both servers' files
  if (pid <= 0) return "no PID in " + shutdown.pid_file;
  if (::kill(pid, shutdown.signal) != 0) return "could not signal PID " + std::to_string(pid);
  for (auto waited = 0ms; waited < 60s; waited += 50ms) {
    if (::kill(pid, 0) != 0) return "";
    std::this_thread::sleep_for(50ms);
  }
  return "PID " + std::to_string(pid) + " did not stop within 60 s";
}

std::string StartServers() {
  std::string command = VALET_SOURCE_DIR "/scripts/servers.sh >/dev/null";
  return std::system(command.c_str()) == 0 ? "" : "scripts/servers.sh failed";
}

}  // namespace valet::testing
