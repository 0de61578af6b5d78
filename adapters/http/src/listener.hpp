#pragma once

#include <Poco/Net/ServerSocket.h>

#include <string>

#include "valet/core/settings_reader.hpp"

namespace valet::adapters::http {

// The HTTP server's listening socket, bound and listening: plain TCP, or TLS (1.2 or later) when
// `tls` names a certificate and key. TLS handshakes happen on the connection threads, on the first
// read, so a client that never finishes one holds only its own connection. kInvalidArgument when
// the certificate or key does not load, kUnavailable when the address cannot be bound.
Result<Poco::Net::ServerSocket> OpenListener(const std::string& host, int port,
                                             const core::TlsFiles& tls);

}  // namespace valet::adapters::http
