#include <limits>

#include "valet/adapters/http/http_api_server.hpp"
#include "valet/core/settings_reader.hpp"

namespace valet::adapters::http {

namespace {

Result<HttpServerOptions> ReadOptions(const core::AdapterSettings& settings) {
  HttpServerOptions options;
  std::int64_t port = options.port;
  std::int64_t max_body = static_cast<std::int64_t>(options.max_body_bytes);
  std::int64_t connections = options.max_connections;
  for (Status status :
       {core::ReadInteger(settings, "port", 0, 65535, port),
        core::ReadInteger(settings, "max_body_bytes", 1, std::int64_t{1} << 32, max_body),
        core::ReadInteger(settings, "max_connections", 1, 4096, connections)}) {
    if (!status.ok()) return status;
  }
  if (Status read = core::ReadString(settings, "host", options.host); !read.ok()) return read;
  if (options.host.empty()) {
    return Status::InvalidArgument(settings.key + ".host must be a host name or address");
  }
  options.port = static_cast<int>(port);
  options.max_body_bytes = static_cast<std::size_t>(max_body);
  options.max_connections = static_cast<int>(connections);
  return options;
}

}  // namespace

void Register(core::AdapterRegistry& registry) {
  registry.AddServer(
      "http", "http",
      [](const core::AdapterSettings& settings,
         core::ApiContext& context) -> Result<std::unique_ptr<ApiServer>> {
        auto options = ReadOptions(settings);
        if (!options.ok()) return options.status();
        std::string refused =
            context.access.CheckBindAddress(settings.key + ".host", options->host);
        if (!refused.empty()) return Status::InvalidArgument(refused);
        return std::unique_ptr<ApiServer>(std::make_unique<HttpApiServer>(*options, context));
      });
}

}  // namespace valet::adapters::http
