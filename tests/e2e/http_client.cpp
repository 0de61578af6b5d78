#include "http_client.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <strings.h>

#include <istream>
#include <mutex>
#include <ostream>
#include <sstream>

namespace valet::e2e {

Json HttpReply::json() const { return Json::parse(body, nullptr, /*allow_exceptions=*/false); }

std::string HttpReply::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
  }
  return "";
}

namespace {

// Trusts only `ca_file` and checks the host name; an untrusted certificate fails the request.
Poco::Net::Context::Ptr ClientContext(const std::string& ca_file) {
  static std::once_flag initialized;
  std::call_once(initialized, [] {
    Poco::Net::initializeSSL();
    // Without a handler of its own, Poco would ask on the console what to do with a certificate
    // that fails verification.
    Poco::Net::SSLManager::instance().initializeClient(
        nullptr, new Poco::Net::RejectCertificateHandler(/*handleErrorsOnServerSide=*/false),
        nullptr);
  });
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", ca_file,
                                Poco::Net::Context::VERIFY_STRICT);
}

}  // namespace

HttpClient::HttpClient(int port)
    : session_(std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1",
                                                              static_cast<Poco::UInt16>(port))) {
  Configure();
}

HttpClient::HttpClient(int port, const std::string& ca_file)
    : session_(std::make_unique<Poco::Net::HTTPSClientSession>(
          "localhost", static_cast<Poco::UInt16>(port), ClientContext(ca_file))) {
  Configure();
}

void HttpClient::Configure() {
  session_->setKeepAlive(true);
  session_->setTimeout(Poco::Timespan(10, 0));
  // Reconnect before valetd's own keep-alive timeout (5 s) can close an idle connection under us.
  session_->setKeepAliveTimeout(Poco::Timespan(2, 0));
}

HttpReply HttpClient::Send(const HttpRequestSpec& spec) {
  HttpReply reply;
  try {
    Poco::Net::HTTPRequest request(spec.method, spec.path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    for (const auto& [name, value] : spec.headers) request.set(name, value);
    if (spec.body) {
      if (!spec.content_type.empty()) request.setContentType(spec.content_type);
      if (spec.chunked) {
        request.setChunkedTransferEncoding(true);
      } else {
        request.setContentLength64(static_cast<Poco::Int64>(spec.body->size()));
      }
    }
    std::ostream& out = session_->sendRequest(request);
    if (spec.body) out.write(spec.body->data(), static_cast<std::streamsize>(spec.body->size()));

    Poco::Net::HTTPResponse response;
    std::istream& in = session_->receiveResponse(response);
    std::ostringstream body;
    Poco::StreamCopier::copyStream(in, body);
    reply.status = static_cast<int>(response.getStatus());
    reply.body = body.str();
    reply.keep_alive = response.getKeepAlive();
    for (const auto& [name, value] : response) reply.headers[name] = value;
  } catch (const Poco::Exception& error) {
    session_->reset();
    reply.status = 0;
    reply.body = "transport error: " + error.displayText();
  } catch (const std::exception& error) {
    session_->reset();
    reply.status = 0;
    reply.body = std::string("transport error: ") + error.what();
  }
  return reply;
}

HttpReply HttpClient::Get(const std::string& path) { return Send({.method = "GET", .path = path}); }

HttpReply HttpClient::Delete(const std::string& path) {
  return Send({.method = "DELETE", .path = path});
}

HttpReply HttpClient::Post(const std::string& path, const Json& body) {
  return PostRaw(path, body.dump());
}

HttpReply HttpClient::Patch(const std::string& path, const Json& body) {
  return PatchRaw(path, body.dump());
}

HttpReply HttpClient::PostRaw(const std::string& path, const std::string& body,
                              const std::string& content_type) {
  return Send({.method = "POST", .path = path, .body = body, .content_type = content_type});
}

HttpReply HttpClient::PatchRaw(const std::string& path, const std::string& body) {
  return Send({.method = "PATCH", .path = path, .body = body});
}

int HttpClient::LocalPort() {
  try {
    return session_->socket().address().port();
  } catch (const Poco::Exception&) {
    return -1;
  }
}

}  // namespace valet::e2e
