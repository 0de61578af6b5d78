#pragma once

#include <string>

#include "redis_connection.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/job_status.hpp"

// What the files of RedisJobRepository share.
namespace valet::adapters::redis {

// Runs one script on a pooled connection, returning the error status from the calling function.
#define VALET_EVAL(reply, script, keys, args)              \
  auto lease_##reply = pool_->Acquire();                   \
  if (!lease_##reply.ok()) return lease_##reply.status();  \
  auto reply = (*lease_##reply)->Eval(script, keys, args); \
  if (!reply.ok()) return reply.status()

// A status as the scripts and the `status` field hold it: its wire number.
inline std::string StatusArg(JobStatus status) { return std::to_string(static_cast<int>(status)); }

// The time field a status change stamps (see Transition); none for PENDING.
inline const char* TimeFieldFor(JobStatus to) {
  switch (to) {
    case JobStatus::kPending:
      return "";
    case JobStatus::kScheduled:
      return "scheduled_at";
    case JobStatus::kInProgress:
      return "started_at";
    default:
      return "completed_at";
  }
}

inline Status Illegal(const Transition& transition) {
  return Status::Conflict("illegal transition from " + std::string(JobStatusName(transition.from)) +
                          " to " + std::string(JobStatusName(transition.to)));
}

inline Status StatusMismatch(long long current, JobStatus expected) {
  return Status::Conflict("status is " +
                          std::string(JobStatusName(static_cast<JobStatus>(current))) + ", not " +
                          std::string(JobStatusName(expected)));
}

inline Status Garbled(const std::string& what) {
  return Status::Internal("redis: unexpected data in " + what);
}

}  // namespace valet::adapters::redis
