#include "valet/core/transition.hpp"

#include <string>

namespace valet::core {

namespace {

template <typename Record>
void StampTime(Record& record, const Transition& transition) {
  switch (transition.to) {
    case JobStatus::kInProgress:
      record.started_at = transition.at;
      break;
    case JobStatus::kCompleted:
    case JobStatus::kFailed:
    case JobStatus::kCancelled:
      record.completed_at = transition.at;
      break;
    default:
      break;
  }
  record.status = transition.to;
}

}  // namespace

Status CheckTransition(JobStatus current, const Transition& transition) {
  if (current != transition.from) {
    return Status::Conflict("status is " + std::string(JobStatusName(current)) + ", not " +
                            std::string(JobStatusName(transition.from)));
  }
  if (!IsLegalTransition(transition.from, transition.to)) {
    return Status::Conflict("illegal transition from " +
                            std::string(JobStatusName(transition.from)) + " to " +
                            std::string(JobStatusName(transition.to)));
  }
  return Status::Ok();
}

void ApplyTransition(Job& job, const Transition& transition) {
  StampTime(job, transition);
  if (transition.to == JobStatus::kScheduled) job.scheduled_at = transition.at;
  if (!transition.failure_reason.empty()) job.failure_reason = transition.failure_reason;
}

void ApplyTransition(Pipeline& pipeline, const Transition& transition) {
  StampTime(pipeline, transition);
}

}  // namespace valet::core
