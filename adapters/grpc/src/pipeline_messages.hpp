#pragma once

#include <string>

#include "pipeline_service.pb.h"
#include "valet/core/pipeline_service.hpp"
#include "valet/core/requests.hpp"
#include "valet/ports/pipeline.hpp"
#include "valet/ports/status.hpp"

namespace valet::adapters::grpc {

// Pipelines to and from valet's pipeline.* messages.

// kInvalidArgument when a job's task_params cannot be JSON (see ToJobRequest); the message names
// the field after `prefix` ("pipeline." gives "pipeline.jobs[1].task_params").
Result<core::PipelineRequest> ToPipelineRequest(const ::pipeline::CreatePipelineRequest& request,
                                                const std::string& prefix = "");
// A core request back as the message it was made from (a schedule's target).
void ToProto(const core::PipelineRequest& request, ::pipeline::CreatePipelineRequest* out);

// The reply views, with the conventions of the job views. GetPipelineResponse gets the jobs
// only from the overload that is given them (Cancel), as valet's Get leaves them out.
void ToProto(const core::PipelineWithJobs& pipeline, ::pipeline::CreatePipelineResponse* out);
void ToProto(const Pipeline& pipeline, ::pipeline::GetPipelineResponse* out);
void ToProto(const core::PipelineWithJobs& pipeline, ::pipeline::GetPipelineResponse* out);

}  // namespace valet::adapters::grpc
