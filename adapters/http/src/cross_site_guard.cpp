#include "cross_site_guard.hpp"

#include <algorithm>
#include <cctype>

#include "valet/core/access_policy.hpp"

namespace valet::adapters::http {

namespace {

bool EqualsIgnoringCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// "https://host:port" names the host "host:port", as the Host header does.
bool OriginIsHost(const std::string& origin, const std::string& host) {
  auto scheme_end = origin.find("://");
  if (scheme_end == std::string::npos || host.empty()) return false;
  return EqualsIgnoringCase(origin.substr(scheme_end + 3), host);
}

}  // namespace

std::optional<ApiResponse> RefuseCrossSite(const std::string& method, const std::string& path,
                                           const RequestOrigin& from, const CorsPolicy& cors) {
  if (core::IsReadMethod(method)) return std::nullopt;
  bool cross_site = from.fetch_site.empty()
                        ? !from.origin.empty() && !OriginIsHost(from.origin, from.host)
                        : EqualsIgnoringCase(from.fetch_site, "cross-site");
  if (!cross_site || cors.Allows(from.origin)) return std::nullopt;
  std::string source = from.origin.empty() ? "another site" : from.origin;
  return ErrorResponse(403, "cross-site request refused: " + method + " " + path + " from " +
                                source +
                                " (server.http.cors.allowed_origins lists the origins that may)");
}

}  // namespace valet::adapters::http
