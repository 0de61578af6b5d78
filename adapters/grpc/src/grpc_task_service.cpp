#include "grpc_task_service.hpp"

#include "call_support.hpp"

namespace valet::adapters::grpc {

::grpc::Status GrpcTaskService::GetTasks(::grpc::ServerContext* call,
                                         const ::task::GetTasksRequest*,
                                         ::task::GetTasksResponse* response) {
  return Serve(api_, *call, "/task.Task/GetTasks", [&]() -> ::grpc::Status {
    for (const std::string& name : api_.tasks.Names()) response->add_tasks(name);
    return ::grpc::Status::OK;
  });
}

}  // namespace valet::adapters::grpc
