#include "body_reader.hpp"

#include <Poco/Net/HTTPServerRequest.h>

#include <algorithm>
#include <cctype>
#include <istream>

namespace valet::adapters::http {

BodyCheck ReadBody(Poco::Net::HTTPServerRequest& request, std::size_t limit, std::string& body) {
  Poco::Int64 declared = request.getContentLength64();
  if (declared != Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH &&
      static_cast<std::size_t>(declared) > limit) {
    return BodyCheck::kTooLarge;
  }
  if (declared == 0) return BodyCheck::kOk;
  if (declared == Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH &&
      !request.getChunkedTransferEncoding()) {
    return BodyCheck::kOk;  // no body
  }
  std::istream& stream = request.stream();
  char buffer[16384];
  while (stream) {
    stream.read(buffer, sizeof buffer);
    auto count = static_cast<std::size_t>(stream.gcount());
    if (body.size() + count > limit) return BodyCheck::kTooLarge;
    body.append(buffer, count);
  }
  if (stream.bad()) return BodyCheck::kUnreadable;
  return BodyCheck::kOk;
}

bool IsJsonContentType(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  type.erase(
      std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }),
      type.end());
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (type.empty() || type == "application/json" || type == "application/x-www-form-urlencoded") {
    return true;
  }
  return type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0;
}

}  // namespace valet::adapters::http
