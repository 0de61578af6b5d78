#pragma once

#include <string>

namespace valet::adapters::http {

// The OpenAPI 3 document of the HTTP API (adapters/http/openapi/openapi.json), compiled in so
// that valetd serves it at /api/openapi.json with no file to deploy.
const std::string& OpenApiDocument();

}  // namespace valet::adapters::http
