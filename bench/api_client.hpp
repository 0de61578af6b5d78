#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/URI.h>

#include <string>

namespace valet::bench {

struct Reply {
  int status = 0;
  std::string body;
};

// One keep-alive HTTP/1.1 connection to valetd. Send() and Receive() are split so one thread can
// keep a request outstanding on each of several connections. Poco exceptions (refused, reset,
// timed out) pass through; Reset() drops the connection so the next Send() reconnects.
class ApiClient {
 public:
  explicit ApiClient(const Poco::URI& server);

  void Send(const std::string& method, const std::string& path, const std::string& body = "");
  Reply Receive();
  Reply Call(const std::string& method, const std::string& path, const std::string& body = "") {
    Send(method, path, body);
    return Receive();
  }
  void Reset() { session_.reset(); }

 private:
  Poco::Net::HTTPClientSession session_;
};

}  // namespace valet::bench
