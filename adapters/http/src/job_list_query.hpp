#pragma once

#include <string_view>

#include "valet/ports/job_repository.hpp"

namespace valet::adapters::http {

// The filters and the page of GET /api/jobs from its query string: `status`, `task_name`,
// `label=key:value` (repeatable; all must match), `created_after` and `created_before` (RFC 3339,
// inclusive), `limit` and `cursor`. Values are percent-decoded; '+' stays a plus, as a time zone
// offset needs. A bad value is kInvalidArgument naming it; unknown parameters are ignored.
Result<JobQuery> JobQueryFrom(std::string_view query);

}  // namespace valet::adapters::http
