#pragma once

// What a TimeZone holds, for the core's own sources: absl's zone stays out of the public headers.

#include <absl/time/time.h>

#include <string>

#include "valet/core/time_zone.hpp"

namespace valet::core {

struct TimeZone::Rules {
  std::string name;
  absl::TimeZone zone;
};

}  // namespace valet::core
