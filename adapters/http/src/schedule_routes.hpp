#pragma once

#include <string_view>
#include <vector>

#include "valet/adapters/http/api_router.hpp"
#include "valet/core/schedule_service.hpp"

namespace valet::adapters::http {

// /api/schedules (GET, POST), /api/schedules/{id} (GET, PATCH, DELETE) and
// /api/schedules/{id}/pause|resume (POST). `parts` is the path after /api, starting with
// "schedules"; the caller has authorized the request.
ApiResponse ScheduleRoutes(core::ScheduleService& schedules, const ApiRequest& request,
                           const std::vector<std::string_view>& parts);

}  // namespace valet::adapters::http
