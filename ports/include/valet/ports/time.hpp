#pragma once

#include <chrono>
#include <optional>

namespace valet {

// Wall-clock instants, with microsecond precision (what every repository can store).
using TimePoint = std::chrono::sys_time<std::chrono::microseconds>;
using OptionalTime = std::optional<TimePoint>;

}  // namespace valet
