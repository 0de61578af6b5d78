#pragma once

#include <string>

namespace valet::app {

// The CMake option that builds the adapter config.yaml calls `name` ("postgres" →
// "VALET_WITH_POSTGRES"), for the error shown when a config names an adapter left out.
std::string BuildOptionFor(const std::string& name);

}  // namespace valet::app
