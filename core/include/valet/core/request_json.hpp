#pragma once

#include <string>

#include "valet/core/requests.hpp"
#include "valet/ports/json.hpp"
#include "valet/ports/status.hpp"

namespace valet::core {

// Job and pipeline requests as JSON objects, the way clients send them (and the way a schedule
// stores what it submits). Reading: a known field of the wrong type is kInvalidArgument naming it
// (after `prefix`, such as "job."); unknown fields are ignored, as valet does.
Result<JobRequest> JobRequestFromJson(const Json& object, const std::string& prefix = "");
Result<PipelineRequest> PipelineRequestFromJson(const Json& object, const std::string& prefix = "");

// Writing gives only the fields that are set, so reading the result back gives the request.
Json ToJson(const JobRequest& request);
Json ToJson(const PipelineRequest& request);

}  // namespace valet::core
