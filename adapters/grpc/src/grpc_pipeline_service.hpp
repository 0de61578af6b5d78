#pragma once

#include "pipeline_service.grpc.pb.h"
#include "valet/core/adapter_registry.hpp"

namespace valet::adapters::grpc {

// pipeline.Pipeline over the core's PipelineService.
class GrpcPipelineService final : public ::pipeline::Pipeline::Service {
 public:
  explicit GrpcPipelineService(core::ApiContext& api) : api_(api) {}

  ::grpc::Status Create(::grpc::ServerContext* call,
                        const ::pipeline::CreatePipelineRequest* request,
                        ::pipeline::CreatePipelineResponse* response) override;
  ::grpc::Status Get(::grpc::ServerContext* call, const ::pipeline::GetPipelineRequest* request,
                     ::pipeline::GetPipelineResponse* response) override;
  ::grpc::Status GetPipelines(::grpc::ServerContext* call,
                              const ::pipeline::GetPipelinesRequest* request,
                              ::pipeline::GetPipelinesResponse* response) override;
  ::grpc::Status GetPipelineJobs(::grpc::ServerContext* call,
                                 const ::pipeline::GetPipelineJobsRequest* request,
                                 ::pipeline::GetPipelineJobsResponse* response) override;
  ::grpc::Status Update(::grpc::ServerContext* call,
                        const ::pipeline::UpdatePipelineRequest* request,
                        ::pipeline::UpdatePipelineResponse* response) override;
  ::grpc::Status Delete(::grpc::ServerContext* call,
                        const ::pipeline::DeletePipelineRequest* request,
                        ::pipeline::DeletePipelineResponse* response) override;
  ::grpc::Status Cancel(::grpc::ServerContext* call,
                        const ::pipeline::CancelPipelineRequest* request,
                        ::pipeline::GetPipelineResponse* response) override;

 private:
  core::ApiContext& api_;
};

}  // namespace valet::adapters::grpc
