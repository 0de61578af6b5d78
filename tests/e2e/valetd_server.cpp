#include "valetd_server.hpp"

#include <signal.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "api_helpers.hpp"
#include "http_client.hpp"

namespace valet::e2e {

namespace {

// FreePort() can race with another program taking the port; valetd then fails to bind.
constexpr int kStartAttempts = 3;

}  // namespace

ValetdServer::ValetdServer(const ValetdConfig& config) : config_(config) {
  config_file_.Write(config_.ToYaml());
  process_ = std::make_unique<ValetdProcess>(
      std::vector<std::string>{"--config", config_file_.path()}, config_.binary);
}

std::unique_ptr<ValetdServer> ValetdServer::Start(ValetdConfig config) {
  bool pick_port = config.port == 0;
  std::string failure;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    if (pick_port) config.port = FreePort();
    std::unique_ptr<ValetdServer> server(new ValetdServer(config));
    if (server->WaitUntilReady()) return server;
    failure =
        "valetd did not come up on port " + std::to_string(config.port) + ":\n" + server->Log();
    if (!pick_port || failure.find("cannot serve HTTP") == std::string::npos) break;
  }
  throw std::runtime_error(failure);
}

bool ValetdServer::WaitUntilReady() {
  auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (process_->Running() && std::chrono::steady_clock::now() < deadline) {
    if (config_.role == "worker") {
      // A worker serves no HTTP: its log says when it is up.
      if (Log().find("valet: started") != std::string::npos) return true;
    } else {
      HttpClient client(config_.port);
      if (client.Get("/api/status").status == 200) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string ValetdServer::Log() const { return process_->Stdout() + process_->Stderr(); }

std::optional<ExitStatus> ValetdServer::Stop() {
  process_->Signal(SIGTERM);
  // The configured grace period, plus the second a stopped task gets, plus slack.
  auto limit = std::chrono::milliseconds(config_.shutdown_grace_period_ms) + kWaitLimit;
  return process_->WaitForExit(limit);
}

}  // namespace valet::e2e
