#pragma once

#include <string>
#include <vector>

#include "valet/core/requests.hpp"
#include "valet/ports/job.hpp"
#include "valet/ports/status.hpp"

namespace valet::adapters::http {

// Request bodies to service requests. A body that is not a JSON object, or a known field of the
// wrong type, is kInvalidArgument naming the field; nothing is acted upon then. An empty body
// reads as {}. Unknown fields are ignored, as valet does.
Result<core::JobRequest> DecodeJobRequest(const std::string& body);
// {"jobs": [job, ...]}; a bad job is named by its index, as "jobs[2].timeout".
Result<std::vector<core::JobRequest>> DecodeJobBatch(const std::string& body);
Result<core::PipelineRequest> DecodePipelineRequest(const std::string& body);
Result<JobInfoPatch> DecodePatch(const std::string& body);
Result<core::ScheduleRequest> DecodeScheduleRequest(const std::string& body);
Result<core::SchedulePatch> DecodeSchedulePatch(const std::string& body);
Result<core::GroupRequest> DecodeGroupRequest(const std::string& body);

}  // namespace valet::adapters::http
