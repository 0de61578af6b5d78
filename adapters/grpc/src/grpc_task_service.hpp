#pragma once

#include "task_service.grpc.pb.h"
#include "valet/core/adapter_registry.hpp"

namespace valet::adapters::grpc {

// task.Task: the names of the registered tasks.
class GrpcTaskService final : public ::task::Task::Service {
 public:
  explicit GrpcTaskService(core::ApiContext& api) : api_(api) {}

  ::grpc::Status GetTasks(::grpc::ServerContext* call, const ::task::GetTasksRequest* request,
                          ::task::GetTasksResponse* response) override;

 private:
  core::ApiContext& api_;
};

}  // namespace valet::adapters::grpc
