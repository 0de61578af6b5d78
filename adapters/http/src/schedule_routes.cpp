#include "schedule_routes.hpp"

#include "json_views.hpp"
#include "request_decoding.hpp"
#include "responses.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::http {

namespace {

ApiResponse Reply(const Result<Schedule>& schedule, int success) {
  if (!schedule.ok()) return FromStatus(schedule.status(), 0);
  return JsonResponse(success, ScheduleView(*schedule));
}

ApiResponse Collection(core::ScheduleService& schedules, const ApiRequest& request) {
  if (request.method == "GET") {
    auto list = schedules.List();
    if (!list.ok()) return FromStatus(list.status(), 0);
    return JsonResponse(200, ApiJson{{"schedules", ListView(*list, ScheduleView)}});
  }
  if (request.method != "POST") return MethodNotAllowed(request, "GET, POST");
  auto decoded = DecodeScheduleRequest(request.body);
  if (!decoded.ok()) return FromStatus(decoded.status(), 0);
  return Reply(schedules.Create(*decoded), 201);
}

ApiResponse Item(core::ScheduleService& schedules, const ApiRequest& request,
                 const std::string& id) {
  const std::string& method = request.method;
  if (method != "GET" && method != "PATCH" && method != "DELETE") {
    return MethodNotAllowed(request, "GET, PATCH, DELETE");
  }
  if (!core::IsUuid(id)) return FromStatus(core::ScheduleNotFound(id), 0);
  if (method == "GET") return Reply(schedules.Get(id), 200);
  if (method == "DELETE") return FromStatus(schedules.Delete(id), 204);
  auto patch = DecodeSchedulePatch(request.body);
  if (!patch.ok()) return FromStatus(patch.status(), 0);
  return Reply(schedules.Patch(id, *patch), 200);
}

}  // namespace

ApiResponse ScheduleRoutes(core::ScheduleService& schedules, const ApiRequest& request,
                           const std::vector<std::string_view>& parts) {
  if (parts.size() == 1) return Collection(schedules, request);
  std::string id(parts[1]);
  if (parts.size() == 2) return Item(schedules, request, id);
  if (parts.size() == 3 && (parts[2] == "pause" || parts[2] == "resume")) {
    if (request.method != "POST") return MethodNotAllowed(request, "POST");
    if (!core::IsUuid(id)) return FromStatus(core::ScheduleNotFound(id), 0);
    core::SchedulePatch patch;
    patch.paused = parts[2] == "pause";
    return Reply(schedules.Patch(id, patch), 200);
  }
  return ErrorResponse(404, "no route for " + request.method + " " + request.path);
}

}  // namespace valet::adapters::http
