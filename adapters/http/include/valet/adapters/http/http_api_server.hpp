#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "valet/adapters/http/api_router.hpp"
#include "valet/core/adapter_registry.hpp"
#include "valet/core/settings_reader.hpp"
#include "valet/ports/api_server.hpp"

namespace Poco {
class ThreadPool;
namespace Net {
class TCPServer;
}  // namespace Net
}  // namespace Poco

namespace valet::adapters::http {

class CorsPolicy;
class RequestDeadlines;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port
  std::size_t max_body_bytes = 1 << 20;
  int max_connections = 128;  // concurrent connections served at once (one thread each)
  // How long a client has to send a whole request (line, headers, body) once its connection is
  // ready for one; a slower connection is closed.
  int request_timeout_ms = 15000;
  // server.http.cors: the origins browsers may call from ("*": any); none means CORS is off.
  std::vector<std::string> cors_origins;
  int cors_max_age_seconds = 600;
  core::TlsFiles tls;  // server.http.tls: HTTPS when set
};

// Serves ApiRouter over HTTP/1.1 (over TLS when configured) with Poco: keep-alive, an X-Request-Id
// on every reply (the client's own if it sent a sane one), a size limit checked before the body is
// read (413, also for chunked bodies), 415 for bodies that are not JSON, and one access log line
// per request.
class HttpApiServer final : public ApiServer {
 public:
  HttpApiServer(HttpServerOptions options, core::ApiContext& context);
  ~HttpApiServer() override;

  Status Start() override;
  void Stop() override;

  // The port actually bound (useful with port 0); 0 before Start().
  int port() const { return bound_port_; }

 private:
  class Handler;
  class HandlerFactory;

  HttpServerOptions options_;
  core::ApiContext& context_;
  ApiRouter router_;
  std::unique_ptr<CorsPolicy> cors_;
  std::unique_ptr<RequestDeadlines> deadlines_;
  std::unique_ptr<HandlerFactory> handlers_;
  std::unique_ptr<Poco::ThreadPool> threads_;
  std::unique_ptr<Poco::Net::TCPServer> server_;
  std::atomic<int> in_flight_{0};
  int bound_port_ = 0;
};

// Adds `server.protocol: http` (settings: `server.http.{host,port,max_body_bytes,
// max_connections,request_timeout,cors,tls}`).
void Register(core::AdapterRegistry& registry);

}  // namespace valet::adapters::http
