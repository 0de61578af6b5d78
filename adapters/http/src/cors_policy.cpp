#include "cors_policy.hpp"

#include <algorithm>

namespace valet::adapters::http {

bool CorsPolicy::Allows(const std::string& origin) const {
  if (origin.empty()) return false;
  return std::any_of(origins_.begin(), origins_.end(), [&](const std::string& allowed) {
    return allowed == "*" || allowed == origin;
  });
}

std::optional<ApiResponse> CorsPolicy::Preflight(const std::string& method,
                                                 const std::string& origin,
                                                 const std::string& requested_method) const {
  if (!enabled() || method != "OPTIONS" || origin.empty() || requested_method.empty()) {
    return std::nullopt;
  }
  if (!Allows(origin)) {
    ApiResponse refused = ErrorResponse(403, "origin " + origin + " is not allowed");
    refused.headers.emplace_back("Vary", "Origin");
    return refused;
  }
  ApiResponse reply{204, "", ReplyHeaders(origin)};
  reply.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE");
  reply.headers.emplace_back("Access-Control-Allow-Headers",
                             "Authorization, Content-Type, Idempotency-Key, X-Request-Id");
  reply.headers.emplace_back("Access-Control-Max-Age", std::to_string(max_age_seconds_));
  return reply;
}

std::vector<std::pair<std::string, std::string>> CorsPolicy::ReplyHeaders(
    const std::string& origin) const {
  if (!Allows(origin)) return {};
  // The origin itself rather than "*", so that a request with credentials is allowed too.
  return {{"Access-Control-Allow-Origin", origin},
          {"Vary", "Origin"},
          {"Access-Control-Expose-Headers", "X-Request-Id"}};
}

}  // namespace valet::adapters::http
