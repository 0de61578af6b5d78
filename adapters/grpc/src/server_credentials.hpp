#pragma once

#include <grpcpp/security/server_credentials.h>

#include <memory>

#include "valet/core/settings_reader.hpp"

namespace valet::adapters::grpc {

// Insecure credentials, or TLS ones from `tls`'s PEM files. The files are read and checked here
// (a certificate, a private key, and that they belong together), because gRPC itself reports a
// bad pair only as a port it could not open. kInvalidArgument names the file and the problem.
Result<std::shared_ptr<::grpc::ServerCredentials>> ServerCredentialsFor(const core::TlsFiles& tls);

}  // namespace valet::adapters::grpc
