#pragma once

#include "schedule_service.pb.h"
#include "valet/core/requests.hpp"
#include "valet/ports/schedule.hpp"
#include "valet/ports/status.hpp"

namespace valet::adapters::grpc {

// Schedules to and from valet's schedule.* messages.

// A create request as the core takes it. kInvalidArgument when a task_params cannot be JSON (see
// ToJobRequest), named as over HTTP ("job.task_params", "pipeline.jobs[1].task_params");
// everything else is checked by the core.
Result<core::ScheduleRequest> ToScheduleRequest(const ::schedule::CreateScheduleRequest& request);

// The fields of an Update request that are set, with the same check of task_params.
Result<core::SchedulePatch> ToSchedulePatch(const ::schedule::UpdateScheduleRequest& request);

// The reply view: the timing and the target as the client gave them; next_run_at unset while
// paused, and each run's times unset when absent.
void ToProto(const Schedule& schedule, ::schedule::GetScheduleResponse* out);

}  // namespace valet::adapters::grpc
