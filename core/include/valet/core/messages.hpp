#pragma once

#include <string>

#include "valet/ports/status.hpp"

namespace valet::core {

// The client-facing wording of common errors, kept as valet words them.
Status JobNotFound(const std::string& id);
Status PipelineNotFound(const std::string& id);
Status ResultNotFound(const std::string& job_id);

// Replaces the message of a kNotFound status with `not_found`; other statuses pass unchanged.
Status RewordNotFound(Status status, const Status& not_found);

}  // namespace valet::core
