#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <exception>
#include <string>

#include "valet/core/adapter_registry.hpp"
#include "valet/ports/status.hpp"

namespace valet::adapters::grpc {

// valet's mapping of errors onto gRPC codes, with the message unchanged: kInvalidArgument →
// INVALID_ARGUMENT, kNotFound → NOT_FOUND, kConflict → `conflict` (FAILED_PRECONDITION unless
// the call says otherwise), kUnavailable → UNAVAILABLE, kTimeout → DEADLINE_EXCEEDED, anything
// else → INTERNAL.
::grpc::Status ToGrpcStatus(const Status& status,
                            ::grpc::StatusCode conflict = ::grpc::StatusCode::FAILED_PRECONDITION);

// The `idempotency-key` request metadata, checked as the HTTP API checks its Idempotency-Key
// header; "" when the call has none.
Result<std::string> IdempotencyKeyOf(const ::grpc::ServerContext& call);

// One log line and one count in the request metrics per call.
void RecordCall(core::ApiContext& api, const ::grpc::ServerContext& call, const char* method,
                const ::grpc::Status& status, std::chrono::steady_clock::time_point started);

// The `authorization: Bearer <token>` metadata against the API tokens: UNAUTHENTICATED without a
// valid token, PERMISSION_DENIED for a read-only token on a method that writes (any but Get* and
// List*).
::grpc::Status Authorize(const core::AccessPolicy& access, const ::grpc::ServerContext& call,
                         const char* method);

// Runs the body of one call, once the caller is authorized. An exception becomes INTERNAL, as
// it becomes a 500 over HTTP; every call gets one log line with its method, code and time taken.
template <typename Body>
::grpc::Status Serve(core::ApiContext& api, const ::grpc::ServerContext& call, const char* method,
                     Body body) {
  auto started = std::chrono::steady_clock::now();
  ::grpc::Status status = Authorize(api.access, call, method);
  try {
    if (status.ok()) status = body();
  } catch (const std::exception& error) {
    status = ::grpc::Status(::grpc::StatusCode::INTERNAL,
                            std::string("internal error: ") + error.what());
  }
  RecordCall(api, call, method, status, started);
  return status;
}

}  // namespace valet::adapters::grpc
