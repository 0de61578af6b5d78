#pragma once

#include <optional>
#include <string_view>

namespace valet {

// The life cycle of a job (and of a pipeline, which never becomes SCHEDULED). The numbers are
// valet's wire values (gRPC, SQL columns); CANCELLED is an addition.
//
//   PENDING ──► SCHEDULED ──► IN_PROGRESS ──► COMPLETED | FAILED | CANCELLED
//    ▲  │           │              │
//    └──┼───────────┼──────────────┘   IN_PROGRESS back to PENDING: a retry, a lost lease, a
//       │           │                  job handed back at shutdown
//       └───────────┴──────────────► CANCELLED   (cancelled, or skipped after a failure)
enum class JobStatus {
  kPending = 1,
  kScheduled = 2,
  kInProgress = 3,
  kCompleted = 4,
  kFailed = 5,
  kCancelled = 6,
};

inline constexpr JobStatus kAllJobStatuses[] = {JobStatus::kPending,    JobStatus::kScheduled,
                                                JobStatus::kInProgress, JobStatus::kCompleted,
                                                JobStatus::kFailed,     JobStatus::kCancelled};

// "PENDING", "IN_PROGRESS", ...
std::string_view JobStatusName(JobStatus status);

// Case-insensitive; nullopt for anything that is not a status name.
std::optional<JobStatus> ParseJobStatus(std::string_view name);

bool IsTerminal(JobStatus status);

// The guard every repository applies: a write that moves a job or pipeline from `from` to `to`
// is legal only when this returns true.
bool IsLegalTransition(JobStatus from, JobStatus to);

}  // namespace valet
