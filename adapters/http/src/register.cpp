#include <limits>

#include "valet/adapters/http/http_api_server.hpp"
#include "valet/core/settings_reader.hpp"

namespace valet::adapters::http {

namespace {

// server.http.cors: {allowed_origins: [...], max_age: seconds}.
Status ReadCors(const core::AdapterSettings& settings, HttpServerOptions& options) {
  std::optional<core::AdapterSettings> cors = core::Subsection(settings, "cors");
  if (!cors) return Status::Ok();
  if (Status keys = core::CheckKeys(*cors, {"allowed_origins", "max_age"}); !keys.ok()) return keys;
  std::int64_t max_age = options.cors_max_age_seconds;
  if (Status read = core::ReadInteger(*cors, "max_age", 0, 86400, max_age); !read.ok()) return read;
  options.cors_max_age_seconds = static_cast<int>(max_age);
  const Json& section = cors->section;
  auto origins = section.find("allowed_origins");
  if (origins == section.end() || origins->is_null()) return Status::Ok();
  const std::string key = cors->key + ".allowed_origins";
  if (!origins->is_array()) {
    return Status::InvalidArgument(key +
                                   " must be a list of origins such as "
                                   "\"https://app.example.com\", or [\"*\"]");
  }
  for (const Json& origin : *origins) {
    std::string text = origin.is_string() ? origin.get<std::string>() : "";
    std::size_t host = text.rfind("https://", 0) == 0  ? 8
                       : text.rfind("http://", 0) == 0 ? 7
                                                       : std::string::npos;
    bool valid = text == "*" || (host != std::string::npos && host < text.size() &&
                                 text.find_first_of(" /", host) == std::string::npos);
    if (!valid) {
      return Status::InvalidArgument(key + ": " + JsonText(origin) +
                                     " is not an origin (scheme://host[:port], no path) or \"*\"");
    }
    options.cors_origins.push_back(std::move(text));
  }
  return Status::Ok();
}

Result<HttpServerOptions> ReadOptions(const core::AdapterSettings& settings,
                                      const core::AccessPolicy& access) {
  if (Status keys = core::CheckKeys(settings, {"host", "port", "max_body_bytes", "max_connections",
                                               "request_timeout", "cors", "tls"});
      !keys.ok()) {
    return keys;
  }
  HttpServerOptions options;
  if (Status cors = ReadCors(settings, options); !cors.ok()) return cors;
  if (Status tls = core::ReadTlsFiles(settings, options.tls); !tls.ok()) return tls;
  std::int64_t port = options.port;
  std::int64_t max_body = static_cast<std::int64_t>(options.max_body_bytes);
  std::int64_t connections = options.max_connections;
  std::int64_t request_timeout = options.request_timeout_ms;
  for (Status status :
       {core::ReadInteger(settings, "port", 0, 65535, port),
        core::ReadInteger(settings, "max_body_bytes", 1, std::int64_t{1} << 32, max_body),
        core::ReadInteger(settings, "max_connections", 1, 4096, connections),
        core::ReadInteger(settings, "request_timeout", 100, 3'600'000, request_timeout)}) {
    if (!status.ok()) return status;
  }
  if (Status host = core::ReadListenHost(settings, access, options.host); !host.ok()) return host;
  options.port = static_cast<int>(port);
  options.max_body_bytes = static_cast<std::size_t>(max_body);
  options.max_connections = static_cast<int>(connections);
  options.request_timeout_ms = static_cast<int>(request_timeout);
  return options;
}

}  // namespace

void Register(core::AdapterRegistry& registry) {
  registry.AddServer(
      "http", "http",
      [](const core::AdapterSettings& settings,
         core::ApiContext& context) -> Result<std::unique_ptr<ApiServer>> {
        auto options = ReadOptions(settings, context.access);
        if (!options.ok()) return options.status();
        return std::unique_ptr<ApiServer>(std::make_unique<HttpApiServer>(*options, context));
      });
}

}  // namespace valet::adapters::http
