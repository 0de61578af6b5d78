#pragma once

#include <string>

#include "job_service.pb.h"
#include "valet/core/requests.hpp"
#include "valet/ports/job.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/status.hpp"

namespace valet::adapters::grpc {

// Jobs to and from valet's job.* messages.

// A create request as the core takes it. kInvalidArgument when task_params holds a value JSON
// cannot (NaN, infinities) or nests too deep; `field` prefixes the name in that message
// ("jobs[1].task_params"). Everything else is checked by the core.
Result<core::JobRequest> ToJobRequest(const ::job::CreateJobRequest& request,
                                      const std::string& field = "task_params");

// The reply views: statuses as valet's numbers (1..6), timestamps unset when absent, task_params
// unset when empty, duration (ms) for finished jobs only.
void ToProto(const Job& job, ::job::CreateJobResponse* out);
void ToProto(const Job& job, ::job::GetJobResponse* out);

// The filters and the page a GetJobs request asks for; kInvalidArgument naming a bad value.
Result<JobQuery> ToJobQuery(const ::job::GetJobsRequest& request);

// A core request back as the message it was made from (a schedule's target): the fields that are
// set, task_params unset when it is null.
void ToProto(const core::JobRequest& request, ::job::CreateJobRequest* out);

// The fields of an Update request that are set; an empty name is kInvalidArgument, as over HTTP.
template <typename UpdateRequest>
Result<JobInfoPatch> ToPatch(const UpdateRequest& request) {
  JobInfoPatch patch;
  if (request.has_name()) {
    if (request.name().empty()) return Status::InvalidArgument("name must not be empty");
    patch.name = request.name();
  }
  if (request.has_description()) patch.description = request.description();
  return patch;
}

}  // namespace valet::adapters::grpc
