#pragma once

#include <string>

#include "valet/ports/job_repository.hpp"

namespace valet::core {

// Reads and deletes job results. A job that has not finished has no result yet (kNotFound).
class ResultService {
 public:
  explicit ResultService(JobRepository& repository) : repository_(repository) {}

  Result<JobResult> Get(const std::string& job_id);
  Status Delete(const std::string& job_id);

 private:
  JobRepository& repository_;
};

}  // namespace valet::core
