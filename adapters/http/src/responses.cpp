#include "valet/adapters/http/api_router.hpp"

namespace valet::adapters::http {

ApiResponse JsonResponse(int status, const ApiJson& body) {
  // Replace invalid UTF-8 from task results rather than failing the whole reply.
  return ApiResponse{status, body.dump(-1, ' ', false, ApiJson::error_handler_t::replace), {}};
}

ApiResponse ErrorResponse(int status, const std::string& message) {
  return JsonResponse(status, ApiJson{{"error", true}, {"code", status}, {"message", message}});
}

}  // namespace valet::adapters::http
