#include <limits>
#include <string>

#include "valet/adapters/grpc/grpc_api_server.hpp"
#include "valet/core/settings_reader.hpp"

namespace valet::adapters::grpc {

namespace {

Result<GrpcServerOptions> ReadOptions(const core::AdapterSettings& settings,
                                      const core::AccessPolicy& access) {
  if (Status keys = core::CheckKeys(settings, {"host", "port", "max_message_bytes", "max_threads",
                                               "handshake_timeout", "idle_timeout", "tls"});
      !keys.ok()) {
    return keys;
  }
  GrpcServerOptions options;
  std::int64_t port = options.port;
  std::int64_t max_message = options.max_message_bytes;
  std::int64_t threads = options.max_threads;
  std::int64_t handshake_timeout = options.handshake_timeout_ms;
  std::int64_t idle_timeout = options.idle_timeout_ms;
  for (Status status :
       {core::ReadInteger(settings, "port", 0, 65535, port),
        core::ReadInteger(settings, "max_message_bytes", 1, std::numeric_limits<int>::max(),
                          max_message),
        // gRPC keeps a polling thread or two of its own out of this number.
        core::ReadInteger(settings, "max_threads", 4, 4096, threads),
        core::ReadInteger(settings, "handshake_timeout", 100, 3'600'000, handshake_timeout),
        core::ReadInteger(settings, "idle_timeout", 100, 86'400'000, idle_timeout),
        core::ReadListenHost(settings, access, options.host),
        core::ReadTlsFiles(settings, options.tls)}) {
    if (!status.ok()) return status;
  }
  options.port = static_cast<int>(port);
  options.max_message_bytes = static_cast<int>(max_message);
  options.max_threads = static_cast<int>(threads);
  options.handshake_timeout_ms = static_cast<int>(handshake_timeout);
  options.idle_timeout_ms = static_cast<int>(idle_timeout);
  return options;
}

}  // namespace

void Register(core::AdapterRegistry& registry) {
  registry.AddServer(
      "grpc", "grpc",
      [](const core::AdapterSettings& settings,
         core::ApiContext& context) -> Result<std::unique_ptr<ApiServer>> {
        auto options = ReadOptions(settings, context.access);
        if (!options.ok()) return options.status();
        return std::unique_ptr<ApiServer>(std::make_unique<GrpcApiServer>(*options, context));
      });
}

}  // namespace valet::adapters::grpc
