#pragma once

#include <optional>
#include <string>
#include <vector>

#include "valet/ports/json.hpp"

namespace valet::core {

// A job as a client asks for it, before validation.
struct JobRequest {
  std::string name;
  std::string description;
  std::string task_name;
  Json task_params;                   // null when not given
  int timeout = 0;                    // 0 = the default timeout
  std::optional<std::string> run_at;  // RFC 3339 text as sent
  std::optional<std::string> run_in;  // a delay from now instead of run_at, such as "90s"
  bool use_previous_results = false;  // only meaningful inside a pipeline
  std::optional<int> max_retries;     // nullopt = the configured default
};

struct PipelineRequest {
  std::string name;
  std::string description;
  std::optional<std::string> run_at;
  std::optional<std::string> run_in;
  std::vector<JobRequest> jobs;
};

}  // namespace valet::core
