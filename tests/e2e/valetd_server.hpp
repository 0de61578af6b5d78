#pragma once

#include <memory>
#include <optional>
#include <string>

#include "temp_file.hpp"
#include "valetd_config.hpp"
#include "valetd_process.hpp"

namespace valet::e2e {

// A running valetd serving HTTP (and gRPC, when its config says so): its config file, its
// process and its ports.
class ValetdServer {
 public:
  // Writes `config` (with free ports where config.port or config.grpc_port is 0) to a temporary
  // file, starts valetd on it and waits until GET /api/status answers 200 and, with gRPC, the log
  // says that gRPC listens. Throws std::runtime_error, with valetd's log in the message, if it
  // does not come up within kWaitLimit.
  static std::unique_ptr<ValetdServer> Start(ValetdConfig config);

  int port() const { return config_.port; }
  // The gRPC port valetd logged it listens on (the one picked, with grpc_port -1); 0 without
  // gRPC or before it listens.
  int grpc_port() const;
  ValetdProcess& process() { return *process_; }
  // What valetd wrote so far (its log goes to stderr).
  std::string Log() const;
  // SIGTERM, then waits for the exit; nullopt if it did not end in time (it is then killed).
  std::optional<ExitStatus> Stop();

 private:
  explicit ValetdServer(const ValetdConfig& config);
  bool WaitUntilReady();

  ValetdConfig config_;
  TempFile config_file_{".yaml"};
  std::unique_ptr<ValetdProcess> process_;
};

}  // namespace valet::e2e
