#pragma once

#include <string_view>
#include <vector>

#include "valet/adapters/http/api_router.hpp"

namespace valet::adapters::http {

// The dashboard's files: GET /ui/ is its page, /ui/<file> its scripts and styles, /ui a redirect
// to /ui/. Open without a token (the page asks for one; the API calls it makes need it). Every
// reply carries a strict Content-Security-Policy (scripts and styles from valetd only, no inline
// code, no other host), nosniff, and an ETag to revalidate with (`Cache-Control: no-cache`, 304
// when If-None-Match matches). `parts` is the path split at '/', starting with "ui".
ApiResponse UiRoutes(const ApiRequest& request, const std::vector<std::string_view>& parts);

}  // namespace valet::adapters::http
