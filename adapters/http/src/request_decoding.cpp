#include "request_decoding.hpp"

#include "valet/core/group_json.hpp"
#include "valet/core/json_fields.hpp"
#include "valet/core/request_json.hpp"
#include "valet/core/schedule_json.hpp"

namespace valet::adapters::http {

namespace {

// Deeper documents are refused: writing them back out (a job's task_params in every reply)
// recurses once per level.
constexpr int kMaxDepth = 64;

Result<Json> ParseObject(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  bool too_deep = false;
  Json json = Json::parse(
      body,
      [&too_deep](int depth, Json::parse_event_t, Json&) {
        too_deep |= depth > kMaxDepth;
        return !too_deep;
      },
      /*allow_exceptions=*/false);
  if (too_deep) {
    return Status::InvalidArgument("request body is nested more than " + std::to_string(kMaxDepth) +
                                   " levels deep");
  }
  if (json.is_discarded()) return Status::InvalidArgument("request body is not valid JSON");
  if (!json.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  return json;
}

}  // namespace

Result<core::JobRequest> DecodeJobRequest(const std::string& body) {
  auto json = ParseObject(body);
  if (!json.ok()) return json.status();
  return core::JobRequestFromJson(*json);
}

Result<std::vector<core::JobRequest>> DecodeJobBatch(const std::string& body) {
  auto json = ParseObject(body);
  if (!json.ok()) return json.status();
  auto jobs = json->find("jobs");
  if (jobs == json->end()) return Status::InvalidArgument("jobs required");
  if (!jobs->is_array()) return Status::InvalidArgument("jobs must be an array");
  std::vector<core::JobRequest> requests;
  requests.reserve(jobs->size());
  for (std::size_t i = 0; i < jobs->size(); ++i) {
    std::string prefix = "jobs[" + std::to_string(i) + "]";
    const Json& job = (*jobs)[i];
    if (!job.is_object()) return Status::InvalidArgument(prefix + " must be an object");
    auto request = core::JobRequestFromJson(job, prefix + ".");
    if (!request.ok()) return request.status();
    requests.push_back(std::move(*request));
  }
  return requests;
}

Result<core::PipelineRequest> DecodePipelineRequest(const std::string& body) {
  auto json = ParseObject(body);
  if (!json.ok()) return json.status();
  return core::PipelineRequestFromJson(*json);
}

Result<JobInfoPatch> DecodePatch(const std::string& body) {
  auto json = ParseObject(body);
  if (!json.ok()) return json.status();
  core::FieldReader fields(*json, "");
  JobInfoPatch patch;
  for (Status status : {fields.OptionalString("name", patch.name),
                        fields.OptionalString("description", patch.description)}) {
    if (!status.ok()) return status;
  }
  if (patch.name && patch.name->empty()) return Status::InvalidArgument("name must not be empty");
  return patch;
}

Result<core::ScheduleRequest> DecodeScheduleRequest(const std::string& body) {
  auto json = ParseObject(body);
  if (!json.ok()) return json.status();
  return core::ScheduleRequestFromJson(*json);
}

Result<core::SchedulePatch> DecodeSchedulePatch(const std::string& body) {
  auto json = ParseObject(body);
  if (!json.ok()) return json.status();
  return core::SchedulePatchFromJson(*json);
}

Result<core::GroupRequest> DecodeGroupRequest(const std::string& body) {
  auto json = ParseObject(body);
  if (!json.ok()) return json.status();
  return core::GroupRequestFromJson(*json);
}

}  // namespace valet::adapters::http
