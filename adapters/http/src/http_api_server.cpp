#include "valet/adapters/http/http_api_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <istream>
#include <thread>

#include "body_reader.hpp"
#include "cors_policy.hpp"
#include "cross_site_guard.hpp"
#include "http_connection.hpp"
#include "listener.hpp"
#include "reply_writer.hpp"
#include "request_deadlines.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::http {

namespace {

// A client-chosen request id is echoed only if it is short and printable.
std::string RequestIdFor(const Poco::Net::HTTPServerRequest& request) {
  static thread_local core::UuidGenerator ids;
  // A copy: get() returns a reference to the default value when the header is missing.
  std::string given = request.get("X-Request-Id", std::string());
  if (given.empty() || given.size() > 128) return ids.NewId();
  for (char c : given) {
    if (c < 0x21 || c > 0x7e) return ids.NewId();
  }
  return given;
}

}  // namespace

class HttpApiServer::Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(HttpApiServer& server) : server_(server) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    auto started = std::chrono::steady_clock::now();
    ++server_.in_flight_;
    std::string request_id = RequestIdFor(request);
    response.set("X-Request-Id", request_id);

    ApiRequest api_request;
    api_request.method = request.getMethod();
    const std::string& uri = request.getURI();
    auto question = uri.find('?');
    api_request.path = uri.substr(0, question);
    if (question != std::string::npos) api_request.query = uri.substr(question + 1);
    api_request.content_type = request.getContentType();
    api_request.idempotency_key = request.get("Idempotency-Key", "");
    api_request.authorization = request.get("Authorization", "");
    api_request.if_none_match = request.get("If-None-Match", "");

    ApiResponse reply;
    std::string origin = request.get("Origin", std::string());
    BodyCheck body = BodyCheck::kOk;
    bool preflight_answered = false;
    if (auto preflight =
            server_.cors_->Preflight(api_request.method, origin,
                                     request.get("Access-Control-Request-Method", std::string()));
        preflight) {
      reply = std::move(*preflight);
      preflight_answered = true;
    } else if (body = ReadBody(request, server_.options_.max_body_bytes, api_request.body);
               body == BodyCheck::kTooLarge) {
      reply = ErrorResponse(413, "request body is larger than " +
                                     std::to_string(server_.options_.max_body_bytes) + " bytes");
      response.setKeepAlive(false);  // the rest of the body is never read
    } else if (body == BodyCheck::kUnreadable) {
      reply = ErrorResponse(400, "request body could not be read");
      response.setKeepAlive(false);
    } else if (!api_request.body.empty() && !IsJsonContentType(api_request.content_type)) {
      reply = ErrorResponse(415, "unsupported content type \"" + api_request.content_type +
                                     "\": send application/json");
    } else if (!server_.deadlines_->Disarm(static_cast<Poco::Net::HTTPServerRequestImpl&>(request)
                                               .socket()
                                               .impl()
                                               ->sockfd())) {
      // Too late: the connection was shut down, and the body may be cut short.
      reply = ErrorResponse(408, "request not received within " +
                                     std::to_string(server_.options_.request_timeout_ms) + " ms");
      response.setKeepAlive(false);
    } else {
      // The request is in: the time the API takes to answer is not the client's to keep short.
      try {
        auto refused = RefuseCrossSite(api_request.method, api_request.path,
                                       {request.get("Sec-Fetch-Site", std::string()), origin,
                                        request.get("Host", std::string())},
                                       *server_.cors_);
        reply = refused ? std::move(*refused) : server_.router_.Handle(api_request);
      } catch (const std::exception& error) {
        reply = ErrorResponse(500, std::string("internal error: ") + error.what());
      }
    }
    if (!preflight_answered) {
      for (auto& header : server_.cors_->ReplyHeaders(origin)) reply.headers.push_back(header);
    }
    WriteReply(response, reply);
    if (body != BodyCheck::kOk) {
      LingeringClose(static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket());
    }

    auto elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
    server_.context_.metrics.requests.Record("http", RouteOf(api_request.path),
                                             std::to_string(reply.status), elapsed);
    server_.context_.logger.Log(reply.status >= 500 ? LogLevel::kError : LogLevel::kInfo, "http",
                                "request",
                                {{"method", api_request.method},
                                 {"path", uri},
                                 {"status", std::to_string(reply.status)},
                                 {"elapsed_ms", std::to_string(elapsed.count())},
                                 {"request_id", request_id},
                                 {"remote_address", request.clientAddress().toString()}});
    --server_.in_flight_;
  }

 private:
  HttpApiServer& server_;
};

class HttpApiServer::HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit HandlerFactory(HttpApiServer& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(server_);
  }

 private:
  HttpApiServer& server_;
};

HttpApiServer::HttpApiServer(HttpServerOptions options, core::ApiContext& context)
    : options_(std::move(options)),
      context_(context),
      router_(context),
      cors_(std::make_unique<CorsPolicy>(options_.cors_origins, options_.cors_max_age_seconds)) {}

HttpApiServer::~HttpApiServer() { Stop(); }

Status HttpApiServer::Start() {
  Result<Poco::Net::ServerSocket> socket = OpenListener(options_.host, options_.port, options_.tls);
  if (!socket.ok()) return socket.status();
  try {
    bound_port_ = socket->address().port();
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);  // unlimited
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setTimeout(Poco::Timespan(30, 0));  // each read and write
    params->setMaxThreads(options_.max_connections);
    params->setMaxQueued(1024);
    deadlines_ = std::make_unique<RequestDeadlines>(
        std::chrono::milliseconds(options_.request_timeout_ms), context_.logger);
    handlers_ = std::make_unique<HandlerFactory>(*this);
    threads_ = std::make_unique<Poco::ThreadPool>(2, options_.max_connections);
    server_ = std::make_unique<Poco::Net::TCPServer>(
        new HttpConnectionFactory(params, *handlers_, *deadlines_), *threads_, *socket, params);
    server_->start();
  } catch (const Poco::Exception& error) {
    return Status::Unavailable("cannot serve HTTP on " + options_.host + ":" +
                               std::to_string(options_.port) + ": " + error.displayText());
  }
  context_.logger.Log(LogLevel::kInfo, "http", "listening",
                      {{"address", options_.host + ":" + std::to_string(bound_port_)},
                       {"tls", options_.tls.enabled() ? "on" : "off"}});
  return Status::Ok();
}

void HttpApiServer::Stop() {
  if (!server_) return;
  server_->stop();  // no new connections
  // Let requests in progress finish, then close idle keep-alive connections.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (in_flight_ > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  deadlines_->ShutdownAll();
  threads_->joinAll();
  server_.reset();
  threads_.reset();
  handlers_.reset();
  deadlines_.reset();
}

}  // namespace valet::adapters::http
