#include "valet/core/messages.hpp"

namespace valet::core {

Status JobNotFound(const std::string& id) {
  return Status::NotFound("job with ID: " + id + " not found");
}

Status PipelineNotFound(const std::string& id) {
  return Status::NotFound("pipeline with ID: " + id + " not found");
}

Status ResultNotFound(const std::string& job_id) {
  return Status::NotFound("job result with ID: " + job_id + " not found");
}

Status RewordNotFound(Status status, const Status& not_found) {
  return status.code() == StatusCode::kNotFound ? not_found : status;
}

}  // namespace valet::core
