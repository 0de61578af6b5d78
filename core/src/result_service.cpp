#include "valet/core/result_service.hpp"

#include "valet/core/messages.hpp"

namespace valet::core {

Result<JobResult> ResultService::Get(const std::string& job_id) {
  auto result = repository_.GetResult(job_id);
  if (!result.ok()) return RewordNotFound(result.status(), ResultNotFound(job_id));
  return result;
}

Status ResultService::Delete(const std::string& job_id) {
  return RewordNotFound(repository_.DeleteResult(job_id), ResultNotFound(job_id));
}

}  // namespace valet::core
