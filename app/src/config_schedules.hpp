#pragma once

#include <vector>

#include "valet/core/requests.hpp"
#include "valet/ports/json.hpp"
#include "valet/ports/status.hpp"

namespace valet::app {

// config.yaml's `schedules`: a list of schedules declared with the config, each a mapping with
// the keys of POST /api/schedules. Checks the shape here (types, unknown keys, unique names);
// what needs the registered tasks (a task's name, a cron expression) is checked at start-up.
Status ReadSchedules(const Json& list, std::vector<core::ScheduleRequest>& out);

}  // namespace valet::app
