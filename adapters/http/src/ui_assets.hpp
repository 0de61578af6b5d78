#pragma once

#include <string_view>
#include <vector>

namespace valet::adapters::http {

// One file of the dashboard (adapters/http/ui/), compiled in so that valetd serves it with no file
// to deploy.
struct UiAsset {
  std::string_view path;  // "index.html", "pages/jobs.js"
  std::string_view etag;  // "\"<16 hex digits of its SHA-256>\""
  std::string_view bytes;
};

// Every file, generated at build time by cmake/EmbedFiles.cmake.
const std::vector<UiAsset>& UiAssets();

}  // namespace valet::adapters::http
