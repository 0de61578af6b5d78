#include "grpc_log_bridge.hpp"

#include <grpc/support/log.h>

#include <mutex>
#include <string>

namespace valet::adapters::grpc {

namespace {

// gRPC's hook is a plain function, so the logger it forwards to is process-wide. The mutex
// keeps a line from being written while the bridge that owns the logger goes away.
std::mutex bridge_mutex;
Logger* bridge_logger = nullptr;

LogLevel LevelOf(gpr_log_severity severity) {
  switch (severity) {
    case GPR_LOG_SEVERITY_DEBUG:
      return LogLevel::kDebug;
    case GPR_LOG_SEVERITY_INFO:
      return LogLevel::kInfo;
    case GPR_LOG_SEVERITY_ERROR:
      break;
  }
  return LogLevel::kError;
}

void Forward(gpr_log_func_args* args) {
  std::lock_guard lock(bridge_mutex);
  if (!bridge_logger) return;
  std::string source =
      std::string(args->file ? args->file : "?") + ":" + std::to_string(args->line);
  bridge_logger->Log(LevelOf(args->severity), "grpc", args->message ? args->message : "",
                     {{"source", source}});
}

}  // namespace

GrpcLogBridge::GrpcLogBridge(Logger& logger) {
  std::lock_guard lock(bridge_mutex);
  bridge_logger = &logger;
  gpr_set_log_function(Forward);
}

GrpcLogBridge::~GrpcLogBridge() {
  gpr_set_log_function(nullptr);  // gRPC's default
  std::lock_guard lock(bridge_mutex);
  bridge_logger = nullptr;
}

}  // namespace valet::adapters::grpc
