#include "valet/adapters/grpc/grpc_api_server.hpp"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <chrono>

#include "grpc_group_service.hpp"
#include "grpc_job_service.hpp"
#include "grpc_log_bridge.hpp"
#include "grpc_pipeline_service.hpp"
#include "grpc_result_service.hpp"
#include "grpc_schedule_service.hpp"
#include "grpc_task_service.hpp"
#include "server_credentials.hpp"

namespace valet::adapters::grpc {

namespace {

// How long calls in flight may go on once Stop() is called; then they are cancelled.
constexpr std::chrono::seconds kShutdownDeadline{5};

std::string Address(const std::string& host, int port) {
  bool ipv6 = host.find(':') != std::string::npos && host.front() != '[';
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

struct GrpcApiServer::Services {
  explicit Services(core::ApiContext& api)
      : jobs(api), pipelines(api), results(api), tasks(api), schedules(api), groups(api) {}

  GrpcJobService jobs;
  GrpcPipelineService pipelines;
  GrpcResultService results;
  GrpcTaskService tasks;
  GrpcScheduleService schedules;
  GrpcGroupService groups;
};

GrpcApiServer::GrpcApiServer(GrpcServerOptions options, core::ApiContext& context)
    : options_(std::move(options)),
      context_(context),
      services_(std::make_unique<Services>(context)) {}

GrpcApiServer::~GrpcApiServer() { Stop(); }

Status GrpcApiServer::Start() {
  auto credentials = ServerCredentialsFor(options_.tls);
  if (!credentials.ok()) return credentials.status();
  log_bridge_ = std::make_unique<GrpcLogBridge>(context_.logger);
  // Registers the reflection service with every server built from here on; idempotent.
  ::grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  ::grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which would let a second server share a port that is in
  // use instead of failing to start.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  builder.SetResourceQuota(::grpc::ResourceQuota("valet-grpc").SetMaxThreads(options_.max_threads));
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS, options_.handshake_timeout_ms);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, options_.idle_timeout_ms);
  int selected_port = 0;
  std::string address = Address(options_.host, options_.port);
  builder.AddListeningPort(address, *credentials, &selected_port);
  builder.RegisterService(&services_->jobs);
  builder.RegisterService(&services_->pipelines);
  builder.RegisterService(&services_->results);
  builder.RegisterService(&services_->tasks);
  builder.RegisterService(&services_->schedules);
  builder.RegisterService(&services_->groups);
  server_ = builder.BuildAndStart();
  if (!server_ || selected_port == 0) {
    if (server_) server_->Shutdown();
    server_.reset();
    return Status::Unavailable("cannot serve gRPC on " + address +
                               ": the address is in use or cannot be bound");
  }
  bound_port_ = selected_port;
  context_.logger.Log(LogLevel::kInfo, "grpc", "listening",
                      {{"address", Address(options_.host, bound_port_)},
                       {"tls", options_.tls.enabled() ? "on" : "off"}});
  return Status::Ok();
}

void GrpcApiServer::Stop() {
  if (server_) {
    // A client that keeps an idle connection and does not read it (gRPC's C++ client reads only
    // during calls) holds Shutdown until the deadline; the calls themselves are short.
    server_->Shutdown(std::chrono::system_clock::now() + kShutdownDeadline);
    server_->Wait();
    server_.reset();
  }
  log_bridge_.reset();
}

}  // namespace valet::adapters::grpc
