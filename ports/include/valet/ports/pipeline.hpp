#pragma once

#include <string>
#include <vector>

#include "valet/ports/job_status.hpp"
#include "valet/ports/time.hpp"

namespace valet {

// A sequence of jobs run one after another. The jobs themselves are stored as jobs with
// `pipeline_id` set; `job_ids` keeps their order.
struct Pipeline {
  std::string id;
  std::string name;
  std::string description;
  JobStatus status = JobStatus::kPending;
  std::vector<std::string> job_ids;

  OptionalTime run_at;
  TimePoint created_at{};
  OptionalTime started_at;
  OptionalTime completed_at;
};

}  // namespace valet
