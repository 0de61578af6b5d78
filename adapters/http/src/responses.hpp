#pragma once

#include <string>
#include <string_view>

#include "valet/adapters/http/api_router.hpp"
#include "valet/ports/status.hpp"

namespace valet::adapters::http {

// The HTTP status of a failed operation: 404, 409, 400, 503, 504 or 500.
int HttpStatusFor(StatusCode code);
// `success` with an empty body when the status is ok; the JSON error reply otherwise.
ApiResponse FromStatus(const Status& status, int success);
// 405 with the Allow header listing the methods the route takes.
ApiResponse MethodNotAllowed(const ApiRequest& request, std::string allow);
// The value of `key` in a query string ("status=pending&x=1"); "" when it is absent.
std::string QueryValue(std::string_view query, std::string_view key);

}  // namespace valet::adapters::http
