#include "http_connection.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timestamp.h>

#include <memory>

#include "reply_writer.hpp"
#include "valet/adapters/http/api_router.hpp"

namespace valet::adapters::http {

namespace {

// Poco refuses a request line or header beyond its limits (HTTPRequest and MessageHeader) with
// a MessageException; its text tells which limit.
ApiResponse HeaderError(const Poco::Net::MessageException& error) {
  const std::string& text = error.message();
  if (text.find("URI") != std::string::npos) {
    return ErrorResponse(414, "request URI is malformed or longer than 16384 bytes");
  }
  if (text.find("ield") != std::string::npos) {  // "Field name too long", "Too many header fields"
    return ErrorResponse(431,
                         "request header fields are malformed or too large: at most 100 fields, "
                         "names of up to 256 bytes and values of up to 8192 bytes");
  }
  return ErrorResponse(400, "malformed request: " + (text.empty() ? error.displayText() : text));
}

}  // namespace

HttpConnection::HttpConnection(const Poco::Net::StreamSocket& socket,
                               Poco::Net::HTTPServerParams::Ptr params,
                               Poco::Net::HTTPRequestHandlerFactory& handlers,
                               RequestDeadlines& deadlines)
    : Poco::Net::TCPServerConnection(socket),
      params_(std::move(params)),
      handlers_(handlers),
      deadlines_(deadlines) {}

void HttpConnection::run() {
  const int fd = socket().impl()->sockfd();
  // The session closes the socket when it goes, so it must outlive the tracking (see Forget).
  Poco::Net::HTTPServerSession session(socket(), params_);
  deadlines_.Track(fd, socket().peerAddress().toString());
  try {
    ServeRequests(session, fd);
  } catch (const Poco::Exception&) {
    // A reset, a timeout or a failed TLS handshake: this connection is over, the server is not.
  }
  deadlines_.Forget(fd);
}

void HttpConnection::ServeRequests(Poco::Net::HTTPServerSession& session, int fd) {
  while (true) {
    // From here the client has the limit to send a whole request (for the first one, also to
    // finish its TLS handshake); an idle keep-alive connection is closed sooner by Poco.
    if (!deadlines_.Arm(fd) || !session.hasMoreRequests()) return;
    Poco::Net::HTTPServerResponseImpl response(session);
    std::unique_ptr<Poco::Net::HTTPServerRequestImpl> request;
    try {
      request =
          std::make_unique<Poco::Net::HTTPServerRequestImpl>(response, session, params_.get());
    } catch (const Poco::Net::NoMessageException&) {
      return;  // closed, or shut down by the deadline, before a request began
    } catch (const Poco::Net::MessageException& error) {
      RefuseHeader(response, HeaderError(error));
      return;
    }
    // Poco takes any word as the version, and ends a header cut short by the deadline as if it
    // were complete.
    const std::string& version = request->getVersion();
    if (version != Poco::Net::HTTPMessage::HTTP_1_1 &&
        version != Poco::Net::HTTPMessage::HTTP_1_0) {
      RefuseHeader(response, ErrorResponse(400, "malformed request: HTTP version \"" + version +
                                                    "\" is not HTTP/1.0 or HTTP/1.1"));
      return;
    }
    if (deadlines_.Expired(fd)) return;
    response.setDate(Poco::Timestamp());
    response.setVersion(version);
    response.setKeepAlive(params_->getKeepAlive() && request->getKeepAlive() &&
                          session.canKeepAlive());
    if (request->getExpectContinue()) response.sendContinue();
    std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(
        handlers_.createRequestHandler(*request));
    handler->handleRequest(*request, response);
    session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() &&
                         session.canKeepAlive());
  }
}

void HttpConnection::RefuseHeader(Poco::Net::HTTPServerResponseImpl& response,
                                  const ApiResponse& reply) {
  response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
  response.setKeepAlive(false);
  WriteReply(response, reply);
  LingeringClose(socket());
}

}  // namespace valet::adapters::http
