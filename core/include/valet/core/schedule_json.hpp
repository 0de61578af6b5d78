#pragma once

#include <string>

#include "valet/core/requests.hpp"
#include "valet/core/schedule_timing.hpp"
#include "valet/ports/json.hpp"
#include "valet/ports/status.hpp"

namespace valet::core {

// A schedule request or patch as a client sends it (HTTP bodies, config.yaml entries):
//   {"name", "description", "cron" | "every", "time_zone", "missed", "job" | "pipeline", "paused"}
// A known field of the wrong type is kInvalidArgument naming it; unknown fields are ignored.
Result<ScheduleRequest> ScheduleRequestFromJson(const Json& object, const std::string& prefix = "");
Result<SchedulePatch> SchedulePatchFromJson(const Json& object);

// The forms a Schedule stores. Timing: {"cron"|"every", "time_zone" (when set), "missed"}.
// Target: {"job": {...}} or {"pipeline": {...}}, in the request shape of request_json.hpp.
Json TimingToJson(const ScheduleTimingSpec& spec);
ScheduleTimingSpec TimingFromJson(const Json& timing);

}  // namespace valet::core
