#include "grpc_job_service.hpp"

#include "call_support.hpp"
#include "job_messages.hpp"
#include "valet/core/job_query.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/request_checks.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::grpc {

::grpc::Status GrpcJobService::Create(::grpc::ServerContext* call,
                                      const ::job::CreateJobRequest* request,
                                      ::job::CreateJobResponse* response) {
  return Serve(api_, *call, "/job.Job/Create", [&]() -> ::grpc::Status {
    auto key = IdempotencyKeyOf(*call);
    if (!key.ok()) return ToGrpcStatus(key.status());
    auto job_request = ToJobRequest(*request);
    if (!job_request.ok()) return ToGrpcStatus(job_request.status());
    auto job = api_.jobs.Create(*job_request, *key);
    if (!job.ok()) return ToGrpcStatus(job.status());
    ToProto(*job, response);
    return ::grpc::Status::OK;
  });
}

::grpc::Status GrpcJobService::Get(::grpc::ServerContext* call, const ::job::GetJobRequest* request,
                                   ::job::GetJobResponse* response) {
  return Serve(api_, *call, "/job.Job/Get", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return ToGrpcStatus(core::JobNotFound(request->id()));
    auto job = api_.jobs.Get(request->id());
    if (!job.ok()) return ToGrpcStatus(job.status());
    ToProto(*job, response);
    return ::grpc::Status::OK;
  });
}

::grpc::Status GrpcJobService::GetJobs(::grpc::ServerContext* call,
                                       const ::job::GetJobsRequest* request,
                                       ::job::GetJobsResponse* response) {
  return Serve(api_, *call, "/job.Job/GetJobs", [&]() -> ::grpc::Status {
    auto query = ToJobQuery(*request);
    if (!query.ok()) return ToGrpcStatus(query.status());
    if (!core::IsPageQuery(*query)) {
      auto jobs = api_.jobs.List(query->status);
      if (!jobs.ok()) return ToGrpcStatus(jobs.status());
      for (const Job& job : *jobs) ToProto(job, response->add_jobs());
      return ::grpc::Status::OK;
    }
    auto page = api_.jobs.Find(*query);
    if (!page.ok()) return ToGrpcStatus(page.status());
    for (const Job& job : page->jobs) ToProto(job, response->add_jobs());
    response->set_next_cursor(page->next_cursor);
    return ::grpc::Status::OK;
  });
}

::grpc::Status GrpcJobService::Update(::grpc::ServerContext* call,
                                      const ::job::UpdateJobRequest* request,
                                      ::job::UpdateJobResponse*) {
  return Serve(api_, *call, "/job.Job/Update", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return ToGrpcStatus(core::JobNotFound(request->id()));
    auto patch = ToPatch(*request);
    if (!patch.ok()) return ToGrpcStatus(patch.status());
    return ToGrpcStatus(api_.jobs.Patch(request->id(), *patch));
  });
}

::grpc::Status GrpcJobService::Delete(::grpc::ServerContext* call,
                                      const ::job::DeleteJobRequest* request,
                                      ::job::DeleteJobResponse*) {
  return Serve(api_, *call, "/job.Job/Delete", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return ToGrpcStatus(core::JobNotFound(request->id()));
    // The one conflict of a delete is a job that belongs to a pipeline, which valet's gRPC API
    // refuses with PERMISSION_DENIED (its HTTP API with 409).
    return ToGrpcStatus(api_.jobs.Delete(request->id()), ::grpc::StatusCode::PERMISSION_DENIED);
  });
}

::grpc::Status GrpcJobService::Cancel(::grpc::ServerContext* call,
                                      const ::job::CancelJobRequest* request,
                                      ::job::GetJobResponse* response) {
  return Serve(api_, *call, "/job.Job/Cancel", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return ToGrpcStatus(core::JobNotFound(request->id()));
    auto job = api_.jobs.Cancel(request->id());
    if (!job.ok()) return ToGrpcStatus(job.status());
    ToProto(*job, response);
    return ::grpc::Status::OK;
  });
}

}  // namespace valet::adapters::grpc
