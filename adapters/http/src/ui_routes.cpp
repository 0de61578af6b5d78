#include "ui_routes.hpp"

#include <string>

#include "responses.hpp"
#include "ui_assets.hpp"

namespace valet::adapters::http {

namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::string ContentTypeOf(std::string_view path) {
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  if (ends_with(".png")) return "image/png";
  return "application/octet-stream";
}

void AddSecurityHeaders(ApiResponse& reply) {
  reply.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  reply.headers.emplace_back("Referrer-Policy", "no-referrer");
}

const UiAsset* Find(std::string_view path) {
  for (const UiAsset& asset : UiAssets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

}  // namespace

ApiResponse UiRoutes(const ApiRequest& request, const std::vector<std::string_view>& parts) {
  if (request.method != "GET") return MethodNotAllowed(request, "GET");
  ApiResponse reply;
  if (parts.size() == 1 && request.path.back() != '/') {
    // Relative, so that the page's relative links work under any path prefix of a proxy too.
    reply = ApiResponse{308, "", {{"Location", "ui/"}}};
    AddSecurityHeaders(reply);
    return reply;
  }
  std::string path;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    path += (path.empty() ? "" : "/") + std::string(parts[i]);
  }
  if (path.empty()) path = "index.html";
  const UiAsset* asset = Find(path);
  if (asset == nullptr) {
    reply = ErrorResponse(404, "no dashboard file " + request.path);
  } else if (request.if_none_match == asset->etag) {
    reply = ApiResponse{304, "", {}};
  } else {
    reply = ApiResponse{200, std::string(asset->bytes), {}};
    reply.content_type = ContentTypeOf(asset->path);
  }
  if (asset != nullptr) {
    reply.headers.emplace_back("ETag", std::string(asset->etag));
    reply.headers.emplace_back("Cache-Control", "no-cache");
  }
  AddSecurityHeaders(reply);
  return reply;
}

}  // namespace valet::adapters::http
