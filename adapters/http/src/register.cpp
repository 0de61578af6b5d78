#include <limits>

#include "valet/adapters/http/http_api_server.hpp"

namespace valet::adapters::http {

namespace {

Status ReadInt(const core::AdapterSettings& settings, const char* key, std::int64_t min,
               std::int64_t max, std::int64_t& out) {
  if (!settings.section.is_object() || !settings.section.contains(key)) return Status::Ok();
  const Json& value = settings.section[key];
  if (!value.is_number_integer() || value.get<std::int64_t>() < min ||
      value.get<std::int64_t>() > max) {
    return Status::InvalidArgument(settings.key + "." + key + " must be an integer from " +
                                   std::to_string(min) + " to " + std::to_string(max) + ", got " +
                                   JsonText(value));
  }
  out = value.get<std::int64_t>();
  return Status::Ok();
}

Result<HttpServerOptions> ReadOptions(const core::AdapterSettings& settings) {
  HttpServerOptions options;
  std::int64_t port = options.port;
  std::int64_t max_body = static_cast<std::int64_t>(options.max_body_bytes);
  std::int64_t connections = options.max_connections;
  for (Status status : {ReadInt(settings, "port", 0, 65535, port),
                        ReadInt(settings, "max_body_bytes", 1, std::int64_t{1} << 32, max_body),
                        ReadInt(settings, "max_connections", 1, 4096, connections)}) {
    if (!status.ok()) return status;
  }
  if (settings.section.is_object() && settings.section.contains("host")) {
    const Json& host = settings.section["host"];
    if (!host.is_string() || host.get<std::string>().empty()) {
      return Status::InvalidArgument(settings.key + ".host must be a host name or address");
    }
    options.host = host.get<std::string>();
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
        return std::unique_ptr<ApiServer>(std::make_unique<HttpApiServer>(*options, context));
      });
}

}  // namespace valet::adapters::http
