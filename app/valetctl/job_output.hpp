#pragma once

#include <string>

#include "api_client.hpp"

namespace valetctl {

// How valetctl prints jobs for people (with --json it prints the server's JSON instead). Every
// string from the server is made printable (see Printable).

// ID, NAME, TASK, STATUS, CREATED and DURATION, one row per job of a {"jobs": [...]} list.
std::string JobTable(const Json& jobs);
// One "field: value" line per field the job has, in the server's order; objects as JSON.
std::string JobDetails(const Json& job);
// "[########------------]  40%" for a fraction from 0 to 1 (clamped), `width` cells inside.
std::string ProgressBar(double fraction, int width = 20);
// The status of a job followed, as `watch` shows it: "IN_PROGRESS [####----]  40% copying",
// the bar only when the job reports progress; a finished job's line ends with its duration or its
// failure reason.
std::string WatchLine(const Json& job);

// The job's status, "" when it has none.
std::string StatusOf(const Json& job);
bool IsFinished(const std::string& status);

}  // namespace valetctl
