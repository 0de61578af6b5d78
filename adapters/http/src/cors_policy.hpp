#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "valet/adapters/http/api_router.hpp"

namespace valet::adapters::http {

// Cross-origin access for browsers (server.http.cors). Off unless origins are listed: then a
// request from a listed origin ("*" lists every origin) gets Access-Control-Allow-Origin, and a
// preflight (OPTIONS with Access-Control-Request-Method) is answered here, before
// authentication, since browsers send no credentials with it.
class CorsPolicy {
 public:
  CorsPolicy() = default;
  CorsPolicy(std::vector<std::string> origins, int max_age_seconds)
      : origins_(std::move(origins)), max_age_seconds_(max_age_seconds) {}

  bool enabled() const { return !origins_.empty(); }
  bool Allows(const std::string& origin) const;

  // The reply to a preflight, or nullopt when the request is not one (or CORS is off).
  std::optional<ApiResponse> Preflight(const std::string& method, const std::string& origin,
                                       const std::string& requested_method) const;
  // The headers an ordinary reply to `origin` gets: none unless the origin is allowed.
  std::vector<std::pair<std::string, std::string>> ReplyHeaders(const std::string& origin) const;

 private:
  std::vector<std::string> origins_;
  int max_age_seconds_ = 600;
};

}  // namespace valet::adapters::http
