#include "pipeline_messages.hpp"

#include <chrono>
#include <cstdint>
#include <string>

#include "job_messages.hpp"
#include "proto_values.hpp"

namespace valet::adapters::grpc {

namespace {

// CreatePipelineResponse and GetPipelineResponse name their common fields alike.
template <typename Response>
void FillPipeline(const Pipeline& pipeline, Response* out) {
  out->set_id(pipeline.id);
  out->set_name(pipeline.name);
  out->set_description(pipeline.description);
  out->set_status(static_cast<std::int32_t>(pipeline.status));
  if (pipeline.run_at) TimeToTimestamp(*pipeline.run_at, out->mutable_run_at());
  TimeToTimestamp(pipeline.created_at, out->mutable_created_at());
  if (pipeline.started_at) TimeToTimestamp(*pipeline.started_at, out->mutable_started_at());
  if (pipeline.completed_at) TimeToTimestamp(*pipeline.completed_at, out->mutable_completed_at());
  if (pipeline.started_at && pipeline.completed_at && IsTerminal(pipeline.status)) {
    auto elapsed = *pipeline.completed_at - *pipeline.started_at;
    out->set_duration(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
  }
}

}  // namespace

Result<core::PipelineRequest> ToPipelineRequest(const ::pipeline::CreatePipelineRequest& request,
                                                const std::string& prefix) {
  core::PipelineRequest pipeline;
  pipeline.name = request.name();
  pipeline.description = request.description();
  if (!request.run_at().empty()) pipeline.run_at = request.run_at();
  if (!request.run_in().empty()) pipeline.run_in = request.run_in();
  for (int i = 0; i < request.jobs_size(); ++i) {
    auto job =
        ToJobRequest(request.jobs(i), prefix + "jobs[" + std::to_string(i) + "].task_params");
    if (!job.ok()) return job.status();
    pipeline.jobs.push_back(std::move(*job));
  }
  return pipeline;
}

void ToProto(const core::PipelineRequest& request, ::pipeline::CreatePipelineRequest* out) {
  out->set_name(request.name);
  out->set_description(request.description);
  if (request.run_at) out->set_run_at(*request.run_at);
  if (request.run_in) out->set_run_in(*request.run_in);
  for (const core::JobRequest& job : request.jobs) ToProto(job, out->add_jobs());
}

void ToProto(const core::PipelineWithJobs& pipeline, ::pipeline::CreatePipelineResponse* out) {
  FillPipeline(pipeline.pipeline, out);
  for (const Job& job : pipeline.jobs) ToProto(job, out->add_jobs());
}

void ToProto(const Pipeline& pipeline, ::pipeline::GetPipelineResponse* out) {
  FillPipeline(pipeline, out);
}

void ToProto(const core::PipelineWithJobs& pipeline, ::pipeline::GetPipelineResponse* out) {
  FillPipeline(pipeline.pipeline, out);
  for (const Job& job : pipeline.jobs) ToProto(job, out->add_jobs());
}

}  // namespace valet::adapters::grpc
