#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace valet {

// The one JSON value type of valet: task params, results and every JSON body.
using Json = nlohmann::json;

// The JSON text of a value for messages and logs. Invalid UTF-8 in strings (from a config file
// or a request) is replaced rather than thrown, so describing bad input can never fail.
inline std::string JsonText(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace valet
