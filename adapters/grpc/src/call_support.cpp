#include "call_support.hpp"

#include "valet/core/request_checks.hpp"

namespace valet::adapters::grpc {

namespace {

const char* CodeName(::grpc::StatusCode code) {
  switch (code) {
    case ::grpc::StatusCode::OK:
      return "OK";
    case ::grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case ::grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case ::grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case ::grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case ::grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case ::grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case ::grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case ::grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case ::grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case ::grpc::StatusCode::ABORTED:
      return "ABORTED";
    case ::grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case ::grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case ::grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case ::grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case ::grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case ::grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      break;
  }
  return "UNKNOWN";
}

// The codes that say the server, not the caller, has a problem (HTTP's 5xx).
bool IsServerFailure(::grpc::StatusCode code) {
  return code == ::grpc::StatusCode::INTERNAL || code == ::grpc::StatusCode::UNAVAILABLE ||
         code == ::grpc::StatusCode::DEADLINE_EXCEEDED || code == ::grpc::StatusCode::UNKNOWN;
}

}  // namespace

::grpc::Status ToGrpcStatus(const Status& status, ::grpc::StatusCode conflict) {
  switch (status.code()) {
    case StatusCode::kOk:
      return ::grpc::Status::OK;
    case StatusCode::kInvalidArgument:
      return {::grpc::StatusCode::INVALID_ARGUMENT, status.message()};
    case StatusCode::kNotFound:
      return {::grpc::StatusCode::NOT_FOUND, status.message()};
    case StatusCode::kConflict:
      return {conflict, status.message()};
    case StatusCode::kUnavailable:
      return {::grpc::StatusCode::UNAVAILABLE, status.message()};
    case StatusCode::kTimeout:
      return {::grpc::StatusCode::DEADLINE_EXCEEDED, status.message()};
    case StatusCode::kInternal:
      break;
  }
  return {::grpc::StatusCode::INTERNAL, status.message()};
}

::grpc::Status Authorize(const core::AccessPolicy& access, const ::grpc::ServerContext& call,
                         const char* method) {
  if (access.open()) return ::grpc::Status::OK;
  const auto& metadata = call.client_metadata();
  auto found = metadata.find("authorization");
  std::string_view header;
  if (found != metadata.end())
    header = std::string_view(found->second.data(), found->second.size());
  switch (access.GrantHeader(header)) {
    case core::Access::kNone:
      return {::grpc::StatusCode::UNAUTHENTICATED,
              header.empty() ? "an API token is required: send authorization: Bearer <token>"
                             : "the API token is not valid"};
    case core::Access::kRead: {
      std::string_view name(method);
      name.remove_prefix(name.rfind('/') + 1);
      if (name.rfind("Get", 0) == 0 || name.rfind("List", 0) == 0) return ::grpc::Status::OK;
      return {::grpc::StatusCode::PERMISSION_DENIED,
              std::string("this API token may only read: ") + method + " needs a full token"};
    }
    case core::Access::kFull:
      break;
  }
  return ::grpc::Status::OK;
}

Result<std::string> IdempotencyKeyOf(const ::grpc::ServerContext& call) {
  const auto& metadata = call.client_metadata();
  auto entry = metadata.find("idempotency-key");
  if (entry == metadata.end()) return std::string();
  std::string key(entry->second.data(), entry->second.size());
  if (Status checked = core::CheckIdempotencyKey(key); !checked.ok()) return checked;
  return key;
}

void RecordCall(core::ApiContext& api, const ::grpc::ServerContext& call, const char* method,
                const ::grpc::Status& status, std::chrono::steady_clock::time_point started) {
  auto elapsed =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
  api.metrics.requests.Record("grpc", method, CodeName(status.error_code()), elapsed);
  api.logger.Log(IsServerFailure(status.error_code()) ? LogLevel::kError : LogLevel::kInfo, "grpc",
                 "call",
                 {{"method", method},
                  {"code", CodeName(status.error_code())},
                  {"elapsed_ms", std::to_string(elapsed.count())},
                  {"peer", call.peer()}});
}

}  // namespace valet::adapters::grpc
