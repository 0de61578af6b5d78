#include "group_routes.hpp"

#include "json_views.hpp"
#include "request_decoding.hpp"
#include "responses.hpp"
#include "valet/core/request_checks.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::http {

namespace {

ApiResponse Reply(const Result<core::GroupWithMembers>& group, int success) {
  if (!group.ok()) return FromStatus(group.status(), 0);
  return JsonResponse(success, GroupView(*group));
}

ApiResponse Collection(core::GroupService& groups, const ApiRequest& request) {
  if (request.method == "GET") {
    auto filter = core::ParseStatusFilter(QueryValue(request.query, "status"));
    if (!filter.ok()) return FromStatus(filter.status(), 0);
    auto list = groups.List(*filter);
    if (!list.ok()) return FromStatus(list.status(), 0);
    return JsonResponse(200, ApiJson{{"groups", ListView(*list, GroupSummaryView)}});
  }
  if (request.method != "POST") return MethodNotAllowed(request, "GET, POST");
  auto decoded = DecodeGroupRequest(request.body);
  if (!decoded.ok()) return FromStatus(decoded.status(), 0);
  return Reply(groups.Create(*decoded), 202);
}

}  // namespace

ApiResponse GroupRoutes(core::GroupService& groups, const ApiRequest& request,
                        const std::vector<std::string_view>& parts) {
  if (parts.size() == 1) return Collection(groups, request);
  std::string id(parts[1]);
  if (parts.size() == 2) {
    if (request.method != "GET" && request.method != "DELETE") {
      return MethodNotAllowed(request, "GET, DELETE");
    }
    if (!core::IsUuid(id)) return FromStatus(core::GroupNotFound(id), 0);
    if (request.method == "DELETE") return FromStatus(groups.Delete(id), 204);
    return Reply(groups.Get(id), 200);
  }
  if (parts.size() == 3 && parts[2] == "cancel") {
    if (request.method != "POST") return MethodNotAllowed(request, "POST");
    if (!core::IsUuid(id)) return FromStatus(core::GroupNotFound(id), 0);
    return Reply(groups.Cancel(id), 200);
  }
  return ErrorResponse(404, "no route for " + request.method + " " + request.path);
}

}  // namespace valet::adapters::http
