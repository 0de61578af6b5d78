#pragma once

#include <optional>
#include <string>

#include "cors_policy.hpp"
#include "valet/adapters/http/api_router.hpp"

namespace valet::adapters::http {

// What a browser says about where a request comes from.
struct RequestOrigin {
  std::string fetch_site;  // the Sec-Fetch-Site header: "same-origin", "cross-site", ... or ""
  std::string origin;      // the Origin header, "" when absent
  std::string host;        // the Host header
};

// A browser sends requests to valetd on behalf of any page it shows, and with no API token
// configured (the default, on loopback) nothing else tells them apart: a form on another site
// could submit jobs. So a request that writes (any method but GET, HEAD and OPTIONS) is refused
// with 403 when the browser marks it cross-site (Sec-Fetch-Site: cross-site) or, from a browser
// without that header, when its Origin is not the Host it was sent to; unless the origin is one
// that server.http.cors allows. Clients that are not browsers send neither header and pass.
std::optional<ApiResponse> RefuseCrossSite(const std::string& method, const std::string& path,
                                           const RequestOrigin& from, const CorsPolicy& cors);

}  // namespace valet::adapters::http
