#pragma once

#include "job_service.grpc.pb.h"
#include "valet/core/adapter_registry.hpp"

namespace valet::adapters::grpc {

// job.Job over the core's JobService. Job/Create queues the job (valet's Go server only stored
// it, so an unscheduled job created over gRPC never ran).
class GrpcJobService final : public ::job::Job::Service {
 public:
  explicit GrpcJobService(core::ApiContext& api) : api_(api) {}

  ::grpc::Status Create(::grpc::ServerContext* call, const ::job::CreateJobRequest* request,
                        ::job::CreateJobResponse* response) override;
  ::grpc::Status Get(::grpc::ServerContext* call, const ::job::GetJobRequest* request,
                     ::job::GetJobResponse* response) override;
  ::grpc::Status GetJobs(::grpc::ServerContext* call, const ::job::GetJobsRequest* request,
                         ::job::GetJobsResponse* response) override;
  ::grpc::Status Update(::grpc::ServerContext* call, const ::job::UpdateJobRequest* request,
                        ::job::UpdateJobResponse* response) override;
  ::grpc::Status Delete(::grpc::ServerContext* call, const ::job::DeleteJobRequest* request,
                        ::job::DeleteJobResponse* response) override;
  ::grpc::Status Cancel(::grpc::ServerContext* call, const ::job::CancelJobRequest* request,
                        ::job::GetJobResponse* response) override;

 private:
  core::ApiContext& api_;
};

}  // namespace valet::adapters::grpc
