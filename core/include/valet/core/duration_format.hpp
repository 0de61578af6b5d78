#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace valet::core {

// A duration written as Go writes them: one or more numbers, each with a unit of ms, s, m or h
// ("250ms", "30s", "1h30m"). nullopt for anything else, a bare number included, and for more
// than about 292 years.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace valet::core
