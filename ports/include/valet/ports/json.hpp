#pragma once

#include <nlohmann/json.hpp>

namespace valet {

// The one JSON value type of valet: task params, results and every JSON body.
using Json = nlohmann::json;

}  // namespace valet
