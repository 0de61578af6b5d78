#pragma once

#include <cstdint>
#include <string>

#include "valet/ports/job_status.hpp"
#include "valet/ports/json.hpp"
#include "valet/ports/time.hpp"

namespace valet {

// A set of jobs and pipelines run at the same time, which succeeds only if every member does,
// optionally followed by one more job (a chord) that gets all the members' results. The
// repository stores the definition as the core hands it over (opaque JSON to it); the members
// and the chord are ordinary jobs and pipelines whose ids the core derives from the group's.
struct Group {
  std::string id;
  std::string name;
  std::string description;
  // What the group submits, as requests: {"members": [{"job": {...}} | {"pipeline": {...}}],
  // "then": {...}} ("then" only with a chord).
  Json definition;
  // PENDING while members run; COMPLETED, FAILED or CANCELLED once they have all finished.
  JobStatus status = JobStatus::kPending;
  std::string failure_reason;
  TimePoint created_at{};
  OptionalTime completed_at;
  // Bumped by every update; updates are a compare-and-set on it.
  std::int64_t revision = 0;
};

}  // namespace valet
