#include "reply_writer.hpp"

#include <Poco/Exception.h>

#include <chrono>

namespace valet::adapters::http {

void WriteReply(Poco::Net::HTTPServerResponse& response, const ApiResponse& reply) {
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
  for (const auto& [name, value] : reply.headers) response.set(name, value);
  if (reply.body.empty()) {
    response.setContentLength(0);
    response.send();
    return;
  }
  response.setContentType(reply.content_type);
  response.setContentLength64(static_cast<Poco::Int64>(reply.body.size()));
  response.send().write(reply.body.data(), static_cast<std::streamsize>(reply.body.size())).flush();
}

// Closing a connection whose request body was not read makes the kernel answer the client's
// remaining bytes with a reset, which can destroy the reply before the client reads it
// (RFC 9112, 9.6). So: half-close, then read and drop what the client still sends, for a while.
void LingeringClose(Poco::Net::StreamSocket& socket) {
  constexpr auto kLinger = std::chrono::seconds(1);
  try {
    socket.shutdownSend();
    auto deadline = std::chrono::steady_clock::now() + kLinger;
    char buffer[16384];
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::microseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      socket.setReceiveTimeout(Poco::Timespan(left.count()));
      if (socket.receiveBytes(buffer, sizeof buffer) <= 0) break;
    }
  } catch (const Poco::Exception&) {
    // Timed out or reset: the connection is over either way.
  }
}

}  // namespace valet::adapters::http
