#pragma once

#include <string>

#include "valet/ports/json.hpp"

namespace valet {

// What a finished job produced: the task's value (`metadata`, null if none) and its error.
struct JobResult {
  std::string job_id;
  Json metadata;
  std::string error;
};

}  // namespace valet
