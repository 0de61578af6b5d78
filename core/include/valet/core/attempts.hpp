#pragma once

#include <string>

#include "valet/ports/job.hpp"

namespace valet::core {

// A job's `attempts` list (see Job::attempts) with one more unsuccessful attempt: the one now
// ending, started at job.started_at. `lost` marks an attempt whose worker vanished.
Json WithAttempt(const Job& job, TimePoint ended_at, const std::string& error, bool lost = false);

// Attempts in the list that failed in their task (a retry was or may be due) or were lost.
int FailedAttempts(const Json& attempts);
int LostAttempts(const Json& attempts);

}  // namespace valet::core
