#pragma once

#include "valet/ports/logger.hpp"

namespace valet::adapters::grpc {

// Sends gRPC's own log lines (which it writes to stderr by default) to valet's logger while the
// bridge lives, so that they keep the configured logging_format, e.g. one JSON object per line.
// gRPC has one log function per process: the bridge made last wins, and gRPC's default comes
// back when a bridge goes. `logger` must outlive the bridge.
class GrpcLogBridge {
 public:
  explicit GrpcLogBridge(Logger& logger);
  ~GrpcLogBridge();
  GrpcLogBridge(const GrpcLogBridge&) = delete;
  GrpcLogBridge& operator=(const GrpcLogBridge&) = delete;
};

}  // namespace valet::adapters::grpc
