#include "valet/core/request_json.hpp"

#include "valet/core/json_fields.hpp"

namespace valet::core {

Result<JobRequest> JobRequestFromJson(const Json& object, const std::string& prefix) {
  FieldReader fields(object, prefix);
  JobRequest request;
  for (Status status :
       {fields.String("name", request.name), fields.String("description", request.description),
        fields.String("task_name", request.task_name),
        fields.Object("task_params", request.task_params),
        fields.Integer("timeout", request.timeout), fields.OptionalString("run_at", request.run_at),
        fields.OptionalString("run_in", request.run_in),
        fields.Bool("use_previous_results", request.use_previous_results),
        fields.OptionalInteger("max_retries", request.max_retries),
        fields.StringMap("labels", request.labels)}) {
    if (!status.ok()) return status;
  }
  return request;
}

Result<PipelineRequest> PipelineRequestFromJson(const Json& object, const std::string& prefix) {
  FieldReader fields(object, prefix);
  PipelineRequest request;
  for (Status status :
       {fields.String("name", request.name), fields.String("description", request.description),
        fields.OptionalString("run_at", request.run_at),
        fields.OptionalString("run_in", request.run_in)}) {
    if (!status.ok()) return status;
  }
  const Json* jobs = fields.Find("jobs");
  if (!jobs) return request;
  if (!jobs->is_array()) return Status::InvalidArgument(prefix + "jobs must be an array");
  for (std::size_t i = 0; i < jobs->size(); ++i) {
    std::string at = prefix + "jobs[" + std::to_string(i) + "]";
    if (!(*jobs)[i].is_object()) return Status::InvalidArgument(at + " must be a JSON object");
    auto job = JobRequestFromJson((*jobs)[i], at + ".");
    if (!job.ok()) return job.status();
    request.jobs.push_back(std::move(*job));
  }
  return request;
}

Json ToJson(const JobRequest& request) {
  Json json = Json::object();
  json["name"] = request.name;
  if (!request.description.empty()) json["description"] = request.description;
  json["task_name"] = request.task_name;
  if (!request.task_params.is_null()) json["task_params"] = request.task_params;
  if (request.timeout != 0) json["timeout"] = request.timeout;
  if (request.run_at) json["run_at"] = *request.run_at;
  if (request.run_in) json["run_in"] = *request.run_in;
  if (request.use_previous_results) json["use_previous_results"] = true;
  if (request.max_retries) json["max_retries"] = *request.max_retries;
  if (!request.labels.empty()) json["labels"] = request.labels;
  return json;
}

Json ToJson(const PipelineRequest& request) {
  Json json = Json::object();
  json["name"] = request.name;
  if (!request.description.empty()) json["description"] = request.description;
  if (request.run_at) json["run_at"] = *request.run_at;
  if (request.run_in) json["run_in"] = *request.run_in;
  Json jobs = Json::array();
  for (const JobRequest& job : request.jobs) jobs.push_back(ToJson(job));
  json["jobs"] = std::move(jobs);
  return json;
}

}  // namespace valet::core
