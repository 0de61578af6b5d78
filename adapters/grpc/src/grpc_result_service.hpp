#pragma once

#include "jobresult_service.grpc.pb.h"
#include "valet/core/adapter_registry.hpp"

namespace valet::adapters::grpc {

// jobresult.JobResult over the core's ResultService.
class GrpcResultService final : public ::jobresult::JobResult::Service {
 public:
  explicit GrpcResultService(core::ApiContext& api) : api_(api) {}

  ::grpc::Status Get(::grpc::ServerContext* call, const ::jobresult::GetJobResultRequest* request,
                     ::jobresult::GetJobResultResponse* response) override;
  ::grpc::Status Delete(::grpc::ServerContext* call,
                        const ::jobresult::DeleteJobResultRequest* request,
                        ::jobresult::DeleteJobResultResponse* response) override;

 private:
  core::ApiContext& api_;
};

}  // namespace valet::adapters::grpc
