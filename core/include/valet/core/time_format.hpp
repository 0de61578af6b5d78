#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "valet/ports/time.hpp"

namespace valet::core {

// "2024-06-01T15:04:05.123456Z": UTC, RFC 3339, fractional seconds without trailing zeros.
std::string FormatTime(TimePoint time);

// RFC 3339 with a time zone ("Z" or "+hh:mm"), fractional seconds optional (extra digits beyond
// microseconds are cut). nullopt for anything else, including a missing zone.
std::optional<TimePoint> ParseTime(std::string_view text);

}  // namespace valet::core
