#include "valet/ports/job_status.hpp"

#include <cctype>

namespace valet {

std::string_view JobStatusName(JobStatus status) {
  switch (status) {
    case JobStatus::kPending:
      return "PENDING";
    case JobStatus::kScheduled:
      return "SCHEDULED";
    case JobStatus::kInProgress:
      return "IN_PROGRESS";
    case JobStatus::kCompleted:
      return "COMPLETED";
    case JobStatus::kFailed:
      return "FAILED";
    case JobStatus::kCancelled:
      return "CANCELLED";
  }
  return "UNDEFINED";
}

std::optional<JobStatus> ParseJobStatus(std::string_view name) {
  for (JobStatus status : kAllJobStatuses) {
    std::string_view candidate = JobStatusName(status);
    if (candidate.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) {
      same = std::toupper(static_cast<unsigned char>(name[i])) == candidate[i];
    }
    if (same) return status;
  }
  return std::nullopt;
}

bool IsTerminal(JobStatus status) {
  return status == JobStatus::kCompleted || status == JobStatus::kFailed ||
         status == JobStatus::kCancelled;
}

bool IsLegalTransition(JobStatus from, JobStatus to) {
  switch (from) {
    case JobStatus::kPending:
      return to == JobStatus::kScheduled || to == JobStatus::kInProgress ||
             to == JobStatus::kCancelled;
    case JobStatus::kScheduled:
      return to == JobStatus::kInProgress || to == JobStatus::kCancelled;
    case JobStatus::kInProgress:
      return IsTerminal(to) || to == JobStatus::kPending;
    case JobStatus::kCompleted:
    case JobStatus::kFailed:
    case JobStatus::kCancelled:
      return false;
  }
  return false;
}

}  // namespace valet
