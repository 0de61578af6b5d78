#include "responses.hpp"

namespace valet::adapters::http {

ApiResponse JsonResponse(int status, const ApiJson& body) {
  // Replace invalid UTF-8 from task results rather than failing the whole reply.
  return ApiResponse{status, body.dump(-1, ' ', false, ApiJson::error_handler_t::replace), {}};
}

ApiResponse ErrorResponse(int status, const std::string& message) {
  return JsonResponse(status, ApiJson{{"error", true}, {"code", status}, {"message", message}});
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kTimeout:
      return 504;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

ApiResponse FromStatus(const Status& status, int success) {
  if (status.ok()) return ApiResponse{success, "", {}};
  return ErrorResponse(HttpStatusFor(status.code()), status.message());
}

ApiResponse MethodNotAllowed(const ApiRequest& request, std::string allow) {
  ApiResponse response =
      ErrorResponse(405, "method " + request.method + " not allowed on " + request.path);
  response.headers.emplace_back("Allow", std::move(allow));
  return response;
}

std::string QueryValue(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    auto end = query.find('&');
    std::string_view pair = query.substr(0, end);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == key) {
      return eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
    }
    if (end == std::string_view::npos) break;
    query.remove_prefix(end + 1);
  }
  return "";
}

}  // namespace valet::adapters::http
