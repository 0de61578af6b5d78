#pragma once

#include <memory>
#include <string>

#include "valet/core/adapter_registry.hpp"
#include "valet/core/settings_reader.hpp"
#include "valet/ports/api_server.hpp"

namespace grpc {
class Server;
}  // namespace grpc

namespace valet::adapters::grpc {

class GrpcLogBridge;

struct GrpcServerOptions {
  std::string host = "127.0.0.1";
  int port = 50051;                 // 0 picks a free port
  int max_message_bytes = 4 << 20;  // larger requests get RESOURCE_EXHAUSTED
  // Threads serving calls; a call that finds none free gets RESOURCE_EXHAUSTED instead of
  // waiting behind the others.
  int max_threads = 64;
  // A connection that has not finished its TLS and HTTP/2 handshake by then is closed, so that
  // silent clients cannot pile up (gRPC's own default is 120 s).
  int handshake_timeout_ms = 15000;
  // A connection with no call for this long is sent GOAWAY; clients reconnect when they need to.
  int idle_timeout_ms = 300000;
  core::TlsFiles tls;  // server.grpc.tls: TLS when set
};

// Serves valet's gRPC API over HTTP/2, with TLS when configured: job.Job, pipeline.Pipeline,
// jobresult.JobResult and task.Task (the Go valet's services, method names and field numbers,
// with its defects fixed and additions under new field numbers), schedule.Schedule (valet's
// own), plus server reflection. Errors carry valet's codes and the HTTP API's messages. One log
// line per call; gRPC's own log lines go to the same logger.
class GrpcApiServer final : public ApiServer {
 public:
  GrpcApiServer(GrpcServerOptions options, core::ApiContext& context);
  ~GrpcApiServer() override;

  // Binds host:port; kUnavailable if it cannot (also when another process holds the port).
  Status Start() override;
  // Stops taking calls and gives those in flight a few seconds before they are cancelled.
  void Stop() override;

  // The port actually bound (useful with port 0); 0 before Start().
  int port() const { return bound_port_; }

 private:
  struct Services;

  GrpcServerOptions options_;
  core::ApiContext& context_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<GrpcLogBridge> log_bridge_;  // gRPC's own log lines, while serving
  std::unique_ptr<::grpc::Server> server_;
  int bound_port_ = 0;
};

// Adds `server.protocol: grpc` (settings: `server.grpc.{host,port,max_message_bytes,tls}`).
void Register(core::AdapterRegistry& registry);

}  // namespace valet::adapters::grpc
