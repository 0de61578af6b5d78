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

Status Illegal(const Transition& transition) {
  return Status::Conflict("illegal transition from " + std::string(JobStatusName(transition.from)) +
                          " to " + std::string(JobStatusName(transition.to)));
}

}  // namespace

Status CheckTransition(JobStatus current, const Transition& transition) {
  if (current != transition.from) {
    return Status::Conflict("status is " + std::string(JobStatusName(current)) + ", not " +
                            std::string(JobStatusName(transition.from)));
  }
  if (!IsLegalTransition(transition.from, transition.to)) return Illegal(transition);
  return Status::Ok();
}

Status CheckTransition(const Job& current, const Transition& transition) {
  if (Status status = CheckTransition(current.status, transition); !status.ok()) return status;
  if (transition.lease_token && *transition.lease_token != current.lease_token) {
    return Status::Conflict("the job's lease is held by another attempt");
  }
  return Status::Ok();
}

Status CheckPipelineTransition(JobStatus current, const Transition& transition) {
  if (transition.to == JobStatus::kScheduled || transition.to == JobStatus::kPending) {
    return Illegal(transition);
  }
  return CheckTransition(current, transition);
}

void ApplyTransition(Job& job, const Transition& transition) {
  StampTime(job, transition);
  if (transition.to == JobStatus::kScheduled) job.scheduled_at = transition.at;
  if (!transition.failure_reason.empty()) job.failure_reason = transition.failure_reason;
  if (transition.from == JobStatus::kInProgress) {
    job.lease_token.clear();
    job.lease_expires_at.reset();
  }
  if (transition.to == JobStatus::kPending) job.run_at = transition.run_at;
  if (transition.attempts) job.attempts = *transition.attempts;
}

void ApplyTransition(Pipeline& pipeline, const Transition& transition) {
  StampTime(pipeline, transition);
}

void ApplyStart(Job& job, const Lease& lease) {
  job.status = JobStatus::kInProgress;
  job.started_at = lease.at;
  job.lease_token = lease.token;
  job.lease_expires_at = lease.expires_at;
  job.progress = nullptr;
  ++job.attempt;
}

bool IsStranded(const Job& job, TimePoint queued_before) {
  if (job.status == JobStatus::kScheduled) {
    return job.scheduled_at && *job.scheduled_at < queued_before;
  }
  return job.status == JobStatus::kPending && !job.run_at && job.previous_job_id.empty() &&
         job.created_at < queued_before;
}

}  // namespace valet::core
