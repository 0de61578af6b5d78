#include "api_client.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

namespace valet::bench {

ApiClient::ApiClient(const Poco::URI& server) : session_(server.getHost(), server.getPort()) {
  session_.setKeepAlive(true);
}

void ApiClient::Send(const std::string& method, const std::string& path, const std::string& body) {
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  request.setKeepAlive(true);
  if (!body.empty()) {
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  std::ostream& out = session_.sendRequest(request);
  out << body;
  // Header and body leave in one write here, not when Receive() is called.
  out.flush();
}

Reply ApiClient::Receive() {
  Poco::Net::HTTPResponse response;
  std::istream& in = session_.receiveResponse(response);
  Reply reply;
  reply.status = response.getStatus();
  // Read the whole body, or the connection cannot carry the next request.
  Poco::StreamCopier::copyToString(in, reply.body);
  return reply;
}

}  // namespace valet::bench
