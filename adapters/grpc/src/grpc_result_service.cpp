#include "grpc_result_service.hpp"

#include "call_support.hpp"
#include "proto_values.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::grpc {

::grpc::Status GrpcResultService::Get(::grpc::ServerContext* call,
                                      const ::jobresult::GetJobResultRequest* request,
                                      ::jobresult::GetJobResultResponse* response) {
  return Serve(api_, *call, "/jobresult.JobResult/Get", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->job_id())) {
      return ToGrpcStatus(core::ResultNotFound(request->job_id()));
    }
    auto result = api_.results.Get(request->job_id());
    if (!result.ok()) return ToGrpcStatus(result.status());
    response->set_job_id(result->job_id);
    if (!result->metadata.is_null()) JsonToValue(result->metadata, response->mutable_metadata());
    response->set_error(result->error);
    return ::grpc::Status::OK;
  });
}

::grpc::Status GrpcResultService::Delete(::grpc::ServerContext* call,
                                         const ::jobresult::DeleteJobResultRequest* request,
                                         ::jobresult::DeleteJobResultResponse*) {
  return Serve(api_, *call, "/jobresult.JobResult/Delete", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->job_id())) {
      return ToGrpcStatus(core::ResultNotFound(request->job_id()));
    }
    return ToGrpcStatus(api_.results.Delete(request->job_id()));
  });
}

}  // namespace valet::adapters::grpc
