#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "api_client.hpp"
#include "support/figures.hpp"

namespace valet::bench {

// How many jobs valetd lists in `status` ("pending", "completed", ...), through
// GET /api/jobs?status=. Throws std::runtime_error when the server does not answer 200.
std::int64_t CountJobs(ApiClient& client, const std::string& status);

// Polls until no job is pending, scheduled or in progress, and returns when that was first seen,
// or nullopt after `timeout`. The lists it polls shrink to nothing as the server catches up, so a
// poll is cheap by the time it matters.
std::optional<SteadyClock::time_point> WaitUntilAllTerminal(ApiClient& client,
                                                            std::chrono::seconds timeout);

}  // namespace valet::bench
