#pragma once

#include <string>
#include <utility>
#include <vector>

#include "valet/core/adapter_registry.hpp"
#include "valet/ports/json.hpp"

namespace valet::adapters::http {

// Reply bodies keep their keys in the order written, which is valet's field order.
using ApiJson = nlohmann::ordered_json;

// A request as the router sees it: the transport (Poco) has already read and size-checked it.
struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // "/api/jobs/123", without the query
  std::string query;   // "status=pending", without '?'
  std::string content_type;
  std::string body;
  std::string idempotency_key = {};  // the Idempotency-Key header, empty when absent
  std::string authorization = {};    // the Authorization header, empty when absent
  std::string if_none_match = {};    // the If-None-Match header (the dashboard's files)
};

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON text (but for /metrics), empty for 204
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type = "application/json";
};

// The route template of a path, for metrics: "/api/jobs/{id}/results", "/api/status"; "other"
// for a path that is no route.
std::string RouteOf(const std::string& path);

// valet's HTTP API under /api, independent of the transport: it maps each request to a service
// call and the outcome to valet's status codes and JSON shapes. Every error is
// {"error": true, "code": <status>, "message": "..."}. With API tokens configured, every route but
// /api/status, /api/openapi.json, /healthz, /readyz and the dashboard's files under /ui needs
// `Authorization: Bearer <token>` (401
// without a valid one, 403 for a read-only token on a route that writes). Safe to call from many
// threads.
class ApiRouter {
 public:
  explicit ApiRouter(core::ApiContext& context) : context_(context) {}

  ApiResponse Handle(const ApiRequest& request) const;

 private:
  core::ApiContext& context_;
};

ApiResponse ErrorResponse(int status, const std::string& message);
ApiResponse JsonResponse(int status, const ApiJson& body);

}  // namespace valet::adapters::http
