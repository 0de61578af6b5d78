#include "api_client.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <istream>
#include <ostream>

#include "cli_error.hpp"

namespace valetctl {

namespace {

constexpr int kConnectTimeoutSeconds = 5;
constexpr int kReplyTimeoutSeconds = 30;

}  // namespace

ApiClient::ApiClient(const std::string& url, std::string token)
    : url_(url), token_(std::move(token)) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& error) {
    throw CliError(kExitUsage, "invalid server URL \"" + url + "\": " + error.message());
  }
  if (uri.getScheme() != "http" || uri.getHost().empty()) {
    throw CliError(kExitUsage,
                   "invalid server URL \"" + url +
                       "\": expected http://HOST[:PORT], such as http://127.0.0.1:8080");
  }
  if (!uri.getQuery().empty() || !uri.getFragment().empty()) {
    throw CliError(kExitUsage, "invalid server URL \"" + url + "\": no query or fragment allowed");
  }
  prefix_ = uri.getPath();
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  session_ = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
  session_->setTimeout(Poco::Timespan(kConnectTimeoutSeconds, 0),
                       Poco::Timespan(kReplyTimeoutSeconds, 0),
                       Poco::Timespan(kReplyTimeoutSeconds, 0));
  // Sooner than valetd closes an idle connection (5 s), so a poll never meets a closed one.
  session_->setKeepAlive(true);
  session_->setKeepAliveTimeout(Poco::Timespan(3, 0));
}

Json ApiClient::Call(const std::string& method, const std::string& path,
                     const std::optional<std::string>& body) {
  Poco::Net::HTTPRequest request(method, prefix_ + path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token_.empty()) request.set("Authorization", "Bearer " + token_);
  request.set("Accept", "application/json");
  if (body) {
    request.setContentType("application/json");
    request.setContentLength64(static_cast<Poco::Int64>(body->size()));
  } else if (method != "GET") {
    request.setContentLength(0);
  }

  Poco::Net::HTTPResponse response;
  std::string text;
  try {
    std::ostream& out = session_->sendRequest(request);
    if (body) out << *body;
    std::istream& in = session_->receiveResponse(response);
    Poco::StreamCopier::copyToString(in, text);
  } catch (const Poco::Exception& error) {
    session_->reset();
    throw CliError(kExitUnreachable, "cannot reach valetd at " + url_ + ": " + error.displayText());
  }

  int status = static_cast<int>(response.getStatus());
  Json reply = text.empty() ? Json() : Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (status >= 200 && status < 300) {
    if (reply.is_discarded()) {
      throw CliError(kExitUnreachable, method + " " + path + ": the reply is not JSON");
    }
    return reply;
  }
  // valetd's error body: {"error": true, "code": 404, "message": "..."}.
  std::string message =
      reply.is_object() && reply.contains("message") && reply["message"].is_string()
          ? reply["message"].get<std::string>()
          : response.getReason();
  throw CliError(status < 500 ? kExitUsage : kExitUnreachable,
                 "server replied " + std::to_string(status) + ": " + message);
}

}  // namespace valetctl
