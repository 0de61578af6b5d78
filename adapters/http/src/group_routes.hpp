#pragma once

#include <string_view>
#include <vector>

#include "valet/adapters/http/api_router.hpp"
#include "valet/core/group_service.hpp"

namespace valet::adapters::http {

// /api/groups[?status=] (GET, POST), /api/groups/{id} (GET, DELETE) and
// /api/groups/{id}/cancel (POST). `parts` is the path after /api, starting with "groups"; the
// caller has authorized the request.
ApiResponse GroupRoutes(core::GroupService& groups, const ApiRequest& request,
                        const std::vector<std::string_view>& parts);

}  // namespace valet::adapters::http
