#include "grpc_pipeline_service.hpp"

#include "call_support.hpp"
#include "job_messages.hpp"
#include "pipeline_messages.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/request_checks.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::grpc {

namespace {

::grpc::Status UnknownPipeline(const std::string& id) {
  return ToGrpcStatus(core::PipelineNotFound(id));
}

}  // namespace

::grpc::Status GrpcPipelineService::Create(::grpc::ServerContext* call,
                                           const ::pipeline::CreatePipelineRequest* request,
                                           ::pipeline::CreatePipelineResponse* response) {
  return Serve(api_, *call, "/pipeline.Pipeline/Create", [&]() -> ::grpc::Status {
    auto key = IdempotencyKeyOf(*call);
    if (!key.ok()) return ToGrpcStatus(key.status());
    auto pipeline_request = ToPipelineRequest(*request);
    if (!pipeline_request.ok()) return ToGrpcStatus(pipeline_request.status());
    auto created = api_.pipelines.Create(*pipeline_request, *key);
    if (!created.ok()) return ToGrpcStatus(created.status());
    ToProto(*created, response);
    return ::grpc::Status::OK;
  });
}

::grpc::Status GrpcPipelineService::Get(::grpc::ServerContext* call,
                                        const ::pipeline::GetPipelineRequest* request,
                                        ::pipeline::GetPipelineResponse* response) {
  return Serve(api_, *call, "/pipeline.Pipeline/Get", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return UnknownPipeline(request->id());
    auto pipeline = api_.pipelines.Get(request->id());
    if (!pipeline.ok()) return ToGrpcStatus(pipeline.status());
    ToProto(*pipeline, response);
    return ::grpc::Status::OK;
  });
}

::grpc::Status GrpcPipelineService::GetPipelines(::grpc::ServerContext* call,
                                                 const ::pipeline::GetPipelinesRequest* request,
                                                 ::pipeline::GetPipelinesResponse* response) {
  return Serve(api_, *call, "/pipeline.Pipeline/GetPipelines", [&]() -> ::grpc::Status {
    auto filter = core::ParseStatusFilter(request->status());
    if (!filter.ok()) return ToGrpcStatus(filter.status());
    auto pipelines = api_.pipelines.List(*filter);
    if (!pipelines.ok()) return ToGrpcStatus(pipelines.status());
    for (const Pipeline& pipeline : *pipelines) ToProto(pipeline, response->add_pipelines());
    return ::grpc::Status::OK;
  });
}

::grpc::Status GrpcPipelineService::GetPipelineJobs(
    ::grpc::ServerContext* call, const ::pipeline::GetPipelineJobsRequest* request,
    ::pipeline::GetPipelineJobsResponse* response) {
  return Serve(api_, *call, "/pipeline.Pipeline/GetPipelineJobs", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return UnknownPipeline(request->id());
    auto jobs = api_.pipelines.ListJobs(request->id());
    if (!jobs.ok()) return ToGrpcStatus(jobs.status());
    for (const Job& job : *jobs) ToProto(job, response->add_jobs());
    return ::grpc::Status::OK;
  });
}

::grpc::Status GrpcPipelineService::Update(::grpc::ServerContext* call,
                                           const ::pipeline::UpdatePipelineRequest* request,
                                           ::pipeline::UpdatePipelineResponse*) {
  return Serve(api_, *call, "/pipeline.Pipeline/Update", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return UnknownPipeline(request->id());
    auto patch = ToPatch(*request);
    if (!patch.ok()) return ToGrpcStatus(patch.status());
    return ToGrpcStatus(api_.pipelines.Patch(request->id(), *patch));
  });
}

::grpc::Status GrpcPipelineService::Delete(::grpc::ServerContext* call,
                                           const ::pipeline::DeletePipelineRequest* request,
                                           ::pipeline::DeletePipelineResponse*) {
  return Serve(api_, *call, "/pipeline.Pipeline/Delete", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return UnknownPipeline(request->id());
    return ToGrpcStatus(api_.pipelines.Delete(request->id()));
  });
}

::grpc::Status GrpcPipelineService::Cancel(::grpc::ServerContext* call,
                                           const ::pipeline::CancelPipelineRequest* request,
                                           ::pipeline::GetPipelineResponse* response) {
  return Serve(api_, *call, "/pipeline.Pipeline/Cancel", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return UnknownPipeline(request->id());
    auto cancelled = api_.pipelines.Cancel(request->id());
    if (!cancelled.ok()) return ToGrpcStatus(cancelled.status());
    ToProto(*cancelled, response);
    return ::grpc::Status::OK;
  });
}

}  // namespace valet::adapters::grpc
