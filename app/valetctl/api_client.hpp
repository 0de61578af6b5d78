#pragma once

#include <Poco/Net/HTTPClientSession.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace valetctl {

using Json = nlohmann::ordered_json;

// A client of one valetd's HTTP API over one keep-alive connection, sending the bearer token
// when there is one. Every call that does not get a 2xx reply throws CliError: exit 2 with the
// server's own message for a 4xx (the request was refused as it is), exit 3 for a 5xx or when the
// server cannot be reached.
class ApiClient {
 public:
  // `url` is http://host[:port][/prefix]; anything else throws CliError (exit 2).
  ApiClient(const std::string& url, std::string token);

  // The reply body as JSON (null for an empty body, such as a 204).
  Json Get(const std::string& path) { return Call("GET", path, std::nullopt); }
  Json Post(const std::string& path, const Json& body) { return Call("POST", path, body.dump()); }
  Json Delete(const std::string& path) { return Call("DELETE", path, std::nullopt); }

  const std::string& url() const { return url_; }

 private:
  Json Call(const std::string& method, const std::string& path,
            const std::optional<std::string>& body);

  std::string url_;
  std::string prefix_;  // a path the API sits under, "" for the root
  std::string token_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

}  // namespace valetctl
