#include "valetd_server.hpp"

#include <signal.h>

#include <chrono>
#include <cstdlib>
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
  bool pick_grpc_port = config.Serves("grpc") && config.grpc_port == 0;
  std::string failure;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    if (pick_port) config.port = FreePort();
    if (pick_grpc_port) config.grpc_port = FreePort();
    std::unique_ptr<ValetdServer> server(new ValetdServer(config));
    if (server->WaitUntilReady()) return server;
    failure = "valetd did not come up on port " + std::to_string(config.port) +
              (config.Serves("grpc") ? " (gRPC " + std::to_string(config.grpc_port) + ")" : "") +
              ":\n" + server->Log();
    bool taken = (pick_port && failure.find("cannot serve HTTP") != std::string::npos) ||
                 (pick_grpc_port && failure.find("cannot serve gRPC") != std::string::npos);
    if (!taken) break;
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
      HttpClient client = config_.tls_cert_file.empty()
                              ? HttpClient(config_.port)
                              : HttpClient(config_.port, config_.tls_cert_file);
      bool grpc_ready = !config_.Serves("grpc") || grpc_port() != 0;
      if (grpc_ready && client.Get("/api/status").status == 200) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

int ValetdServer::grpc_port() const {
  if (!config_.Serves("grpc")) return 0;
  // Logged once it listens: "grpc: listening address=127.0.0.1:50051".
  const std::string kListening = "grpc: listening address=";
  std::string log = Log();
  auto at = log.find(kListening);
  if (at == std::string::npos) return 0;
  auto line_end = log.find('\n', at);
  std::string address = log.substr(at + kListening.size(), line_end - at - kListening.size());
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return 0;
  return std::atoi(address.c_str() + colon + 1);
}

std::string ValetdServer::Log() const { return process_->Stdout() + process_->Stderr(); }

std::optional<ExitStatus> ValetdServer::Stop() {
  process_->Signal(SIGTERM);
  // The configured grace period, plus the second a stopped task gets, plus slack.
  auto limit = std::chrono::milliseconds(config_.shutdown_grace_period_ms) + kWaitLimit;
  return process_->WaitForExit(limit);
}

}  // namespace valet::e2e
