#include "listener.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>

#include <mutex>

namespace valet::adapters::http {

namespace {

Poco::Net::Context::Ptr ServerContext(const core::TlsFiles& tls) {
  static std::once_flag initialized;
  std::call_once(initialized, [] { Poco::Net::initializeSSL(); });
  Poco::Net::Context::Params params;
  params.certificateFile = tls.cert_file;
  params.privateKeyFile = tls.key_file;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;  // clients authenticate by token
  // Forward-secret AEAD suites only, for TLS 1.2 (TLS 1.3 suites are chosen by OpenSSL).
  params.cipherList = "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM";
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  context->preferServerCiphers();
  return context;
}

}  // namespace

Result<Poco::Net::ServerSocket> OpenListener(const std::string& host, int port,
                                             const core::TlsFiles& tls) {
  Poco::Net::ServerSocket socket;
  if (tls.enabled()) {
    try {
      socket = Poco::Net::SecureServerSocket(ServerContext(tls));
    } catch (const Poco::Exception& error) {
      return Status::InvalidArgument("server.http.tls: cannot load " + tls.cert_file + " and " +
                                     tls.key_file + ": " + error.displayText());
    }
  }
  try {
    // Poco's two-argument bind() also sets SO_REUSEPORT, which would let a second server share
    // a port that is in use instead of failing to start.
    socket.bind(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)),
                /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(1024);
  } catch (const Poco::Exception& error) {
    return Status::Unavailable("cannot serve HTTP on " + host + ":" + std::to_string(port) + ": " +
                               error.displayText());
  }
  return socket;
}

}  // namespace valet::adapters::http
