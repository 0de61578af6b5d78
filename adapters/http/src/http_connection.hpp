#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include "request_deadlines.hpp"
#include "valet/adapters/http/api_router.hpp"

namespace valet::adapters::http {

// One client connection of the HTTP server, in place of Poco's HTTPServerConnection: it reads
// the connection's requests one after another (keep-alive) and hands each to a handler from
// `handlers`, with two differences. Each request must arrive in full within the deadline that
// `deadlines` keeps (the handler disarms it once it has read the body). A request line or header
// beyond Poco's limits gets a JSON error (414, 431 or 400) like every other refusal of the API.
class HttpConnection final : public Poco::Net::TCPServerConnection {
 public:
  HttpConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                 Poco::Net::HTTPRequestHandlerFactory& handlers, RequestDeadlines& deadlines);

  void run() override;

 private:
  void ServeRequests(Poco::Net::HTTPServerSession& session, int socket);
  // Answers a request whose line or header was refused, then ends the connection.
  void RefuseHeader(Poco::Net::HTTPServerResponseImpl& response, const ApiResponse& reply);

  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory& handlers_;
  RequestDeadlines& deadlines_;
};

class HttpConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  HttpConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                        Poco::Net::HTTPRequestHandlerFactory& handlers, RequestDeadlines& deadlines)
      : params_(std::move(params)), handlers_(handlers), deadlines_(deadlines) {}

  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new HttpConnection(socket, params_, handlers_, deadlines_);
  }

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory& handlers_;
  RequestDeadlines& deadlines_;
};

}  // namespace valet::adapters::http
