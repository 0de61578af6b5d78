#pragma once

#include <cstddef>
#include <string>

namespace Poco::Net {
class HTTPServerRequest;
}  // namespace Poco::Net

namespace valet::adapters::http {

enum class BodyCheck { kOk, kTooLarge, kUnreadable };

// Reads the request body into `body`, refusing more than `limit` bytes: a declared
// Content-Length over the limit is refused before reading anything; a chunked body is read only
// up to the limit.
BodyCheck ReadBody(Poco::Net::HTTPServerRequest& request, std::size_t limit, std::string& body);

// application/json (or any +json type), no type at all, and curl's default
// application/x-www-form-urlencoded are all read as JSON.
bool IsJsonContentType(const std::string& content_type);

}  // namespace valet::adapters::http
