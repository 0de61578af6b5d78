#include <limits>
#include <string>

#include "valet/adapters/grpc/grpc_api_server.hpp"
#include "valet/core/settings_reader.hpp"

namespace valet::adapters::grpc {

namespace {

Result<GrpcServerOptions> ReadOptions(const core::AdapterSettings& settings) {
  if (Status keys = core::CheckKeys(settings, {"host", "port", "max_message_bytes"}); !keys.ok()) {
    return keys;
  }
  GrpcServerOptions options;
  std::int64_t port = options.port;
  std::int64_t max_message = options.max_message_bytes;
  for (Status status : {core::ReadInteger(settings, "port", 0, 65535, port),
                        core::ReadInteger(settings, "max_message_bytes", 1,
                                          std::numeric_limits<int>::max(), max_message),
                        core::ReadString(settings, "host", options.host)}) {
    if (!status.ok()) return status;
  }
  if (options.host.empty()) {
    return Status::InvalidArgument(settings.key + ".host must be a host name or address");
  }
  options.port = static_cast<int>(port);
  options.max_message_bytes = static_cast<int>(max_message);
  return options;
}

}  // namespace

void Register(core::AdapterRegistry& registry) {
  registry.AddServer(
      "grpc", "grpc",
      [](const core::AdapterSettings& settings,
         core::ApiContext& context) -> Result<std::unique_ptr<ApiServer>> {
        auto options = ReadOptions(settings);
        if (!options.ok()) return options.status();
        std::string refused =
            context.access.CheckBindAddress(settings.key + ".host", options->host);
        if (!refused.empty()) return Status::InvalidArgument(refused);
        return std::unique_ptr<ApiServer>(std::make_unique<GrpcApiServer>(*options, context));
      });
}

}  // namespace valet::adapters::grpc
