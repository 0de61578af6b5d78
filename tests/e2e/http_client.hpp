#pragma once

#include <Poco/Net/HTTPClientSession.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "valet/ports/json.hpp"

namespace valet::e2e {

struct HttpRequestSpec {
  std::string method = "GET";
  std::string path = "/";
  std::optional<std::string> body = std::nullopt;  // nullopt: no body at all
  std::string content_type = "application/json";   // "": no Content-Type header
  bool chunked = false;                            // send the body with chunked transfer encoding
  std::vector<std::pair<std::string, std::string>> headers = {};
};

// One reply. A transport error (refused, reset, timed out) is status 0 with the error in `body`.
struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names as the server spelled them
  bool keep_alive = false;

  // The body parsed as JSON; a discarded value if it is not JSON.
  Json json() const;
  std::string Header(const std::string& name) const;
};

// An HTTP/1.1 (or HTTPS) client of one valetd, with one keep-alive connection (Poco reconnects when
// the server closed it). Not thread-safe: give each thread its own client.
class HttpClient {
 public:
  explicit HttpClient(int port);
  // HTTPS to "localhost", trusting only the certificate(s) in `ca_file`.
  HttpClient(int port, const std::string& ca_file);

  HttpReply Send(const HttpRequestSpec& request);
  HttpReply Get(const std::string& path);
  HttpReply Delete(const std::string& path);
  HttpReply Post(const std::string& path, const Json& body);
  HttpReply Patch(const std::string& path, const Json& body);
  // A body sent exactly as given, e.g. malformed JSON.
  HttpReply PostRaw(const std::string& path, const std::string& body,
                    const std::string& content_type = "application/json");
  HttpReply PatchRaw(const std::string& path, const std::string& body);

  // The local port of the current connection; a new connection gets a new one.
  int LocalPort();

 private:
  void Configure();

  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

}  // namespace valet::e2e
