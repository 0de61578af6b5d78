#pragma once

#include "valet/ports/job.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/pipeline.hpp"

namespace valet::core {

// The compare-and-set guard of JobRepository::Transition*(): ok only when `current` is the
// transition's `from` and the move is legal; otherwise kConflict saying why.
Status CheckTransition(JobStatus current, const Transition& transition);
// The same for a job, with the lease fence: a transition that names a lease_token applies only
// to the job holding that token.
Status CheckTransition(const Job& current, const Transition& transition);
// The same for a pipeline, which never becomes SCHEDULED and never goes back to PENDING.
Status CheckPipelineTransition(JobStatus current, const Transition& transition);

// Writes the transition's target status and the fields that go with it (see Transition).
void ApplyTransition(Job& job, const Transition& transition);
void ApplyTransition(Pipeline& pipeline, const Transition& transition);

// Writes a worker's claim (see JobRepository::StartJob): IN_PROGRESS under the lease.
void ApplyStart(Job& job, const Lease& lease);

// A job is stranded (JobRepository::ClaimStrandedJobs) when it should be in the queue and was
// put there, if at all, before `queued_before`.
bool IsStranded(const Job& job, TimePoint queued_before);

// Writes the fields a patch names, and no others.
template <typename Record>
void ApplyPatch(Record& record, const JobInfoPatch& patch) {
  if (patch.name) record.name = *patch.name;
  if (patch.description) record.description = *patch.description;
}

}  // namespace valet::core
