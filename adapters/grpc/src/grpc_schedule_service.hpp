#pragma once

#include <string>

#include "schedule_service.grpc.pb.h"
#include "valet/core/adapter_registry.hpp"

namespace valet::adapters::grpc {

// schedule.Schedule over the core's ScheduleService, the twin of /api/schedules.
class GrpcScheduleService final : public ::schedule::Schedule::Service {
 public:
  explicit GrpcScheduleService(core::ApiContext& api) : api_(api) {}

  ::grpc::Status Create(::grpc::ServerContext* call,
                        const ::schedule::CreateScheduleRequest* request,
                        ::schedule::GetScheduleResponse* response) override;
  ::grpc::Status Get(::grpc::ServerContext* call, const ::schedule::GetScheduleRequest* request,
                     ::schedule::GetScheduleResponse* response) override;
  ::grpc::Status List(::grpc::ServerContext* call, const ::schedule::ListSchedulesRequest* request,
                      ::schedule::ListSchedulesResponse* response) override;
  ::grpc::Status Update(::grpc::ServerContext* call,
                        const ::schedule::UpdateScheduleRequest* request,
                        ::schedule::GetScheduleResponse* response) override;
  ::grpc::Status Delete(::grpc::ServerContext* call,
                        const ::schedule::DeleteScheduleRequest* request,
                        ::schedule::DeleteScheduleResponse* response) override;
  ::grpc::Status Pause(::grpc::ServerContext* call, const ::schedule::PauseScheduleRequest* request,
                       ::schedule::GetScheduleResponse* response) override;
  ::grpc::Status Resume(::grpc::ServerContext* call,
                        const ::schedule::ResumeScheduleRequest* request,
                        ::schedule::GetScheduleResponse* response) override;

 private:
  // Pause and Resume: a patch of `paused` alone.
  ::grpc::Status SetPaused(const std::string& id, bool paused,
                           ::schedule::GetScheduleResponse* response);

  core::ApiContext& api_;
};

}  // namespace valet::adapters::grpc
