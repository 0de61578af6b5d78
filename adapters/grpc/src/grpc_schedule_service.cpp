#include "grpc_schedule_service.hpp"

#include "call_support.hpp"
#include "schedule_messages.hpp"
#include "valet/core/schedule_service.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::grpc {

namespace {

// An id that is not a UUID names no schedule; the repositories are not asked about it, as over
// HTTP.
::grpc::Status UnknownSchedule(const std::string& id) {
  return ToGrpcStatus(core::ScheduleNotFound(id));
}

::grpc::Status Reply(const Result<Schedule>& schedule, ::schedule::GetScheduleResponse* response,
                     ::grpc::StatusCode conflict = ::grpc::StatusCode::FAILED_PRECONDITION) {
  if (!schedule.ok()) return ToGrpcStatus(schedule.status(), conflict);
  ToProto(*schedule, response);
  return ::grpc::Status::OK;
}

}  // namespace

::grpc::Status GrpcScheduleService::Create(::grpc::ServerContext* call,
                                           const ::schedule::CreateScheduleRequest* request,
                                           ::schedule::GetScheduleResponse* response) {
  return Serve(api_, *call, "/schedule.Schedule/Create", [&]() -> ::grpc::Status {
    auto schedule_request = ToScheduleRequest(*request);
    if (!schedule_request.ok()) return ToGrpcStatus(schedule_request.status());
    // The one conflict of a create is a name that another schedule has.
    return Reply(api_.schedules.Create(*schedule_request), response,
                 ::grpc::StatusCode::ALREADY_EXISTS);
  });
}

::grpc::Status GrpcScheduleService::Get(::grpc::ServerContext* call,
                                        const ::schedule::GetScheduleRequest* request,
                                        ::schedule::GetScheduleResponse* response) {
  return Serve(api_, *call, "/schedule.Schedule/Get", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return UnknownSchedule(request->id());
    return Reply(api_.schedules.Get(request->id()), response);
  });
}

::grpc::Status GrpcScheduleService::List(::grpc::ServerContext* call,
                                         const ::schedule::ListSchedulesRequest*,
                                         ::schedule::ListSchedulesResponse* response) {
  return Serve(api_, *call, "/schedule.Schedule/List", [&]() -> ::grpc::Status {
    auto schedules = api_.schedules.List();
    if (!schedules.ok()) return ToGrpcStatus(schedules.status());
    for (const Schedule& schedule : *schedules) ToProto(schedule, response->add_schedules());
    return ::grpc::Status::OK;
  });
}

::grpc::Status GrpcScheduleService::Update(::grpc::ServerContext* call,
                                           const ::schedule::UpdateScheduleRequest* request,
                                           ::schedule::GetScheduleResponse* response) {
  return Serve(api_, *call, "/schedule.Schedule/Update", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return UnknownSchedule(request->id());
    auto patch = ToSchedulePatch(*request);
    if (!patch.ok()) return ToGrpcStatus(patch.status());
    // Its conflicts (a declared schedule, a name that is taken) share kConflict, so they share
    // FAILED_PRECONDITION.
    return Reply(api_.schedules.Patch(request->id(), *patch), response);
  });
}

::grpc::Status GrpcScheduleService::Delete(::grpc::ServerContext* call,
                                           const ::schedule::DeleteScheduleRequest* request,
                                           ::schedule::DeleteScheduleResponse*) {
  return Serve(api_, *call, "/schedule.Schedule/Delete", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return UnknownSchedule(request->id());
    return ToGrpcStatus(api_.schedules.Delete(request->id()));
  });
}

::grpc::Status GrpcScheduleService::Pause(::grpc::ServerContext* call,
                                          const ::schedule::PauseScheduleRequest* request,
                                          ::schedule::GetScheduleResponse* response) {
  return Serve(api_, *call, "/schedule.Schedule/Pause",
               [&] { return SetPaused(request->id(), true, response); });
}

::grpc::Status GrpcScheduleService::Resume(::grpc::ServerContext* call,
                                           const ::schedule::ResumeScheduleRequest* request,
                                           ::schedule::GetScheduleResponse* response) {
  return Serve(api_, *call, "/schedule.Schedule/Resume",
               [&] { return SetPaused(request->id(), false, response); });
}

::grpc::Status GrpcScheduleService::SetPaused(const std::string& id, bool paused,
                                              ::schedule::GetScheduleResponse* response) {
  if (!core::IsUuid(id)) return UnknownSchedule(id);
  core::SchedulePatch patch;
  patch.paused = paused;
  return Reply(api_.schedules.Patch(id, patch), response);
}

}  // namespace valet::adapters::grpc
