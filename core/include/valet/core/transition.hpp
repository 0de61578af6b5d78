#pragma once

#include "valet/ports/job.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/pipeline.hpp"

namespace valet::core {

// The compare-and-set guard of JobRepository::Transition*(): ok only when `current` is the
// transition's `from` and the move is legal; otherwise kConflict saying why.
Status CheckTransition(JobStatus current, const Transition& transition);

// Writes the transition's target status and the time field that goes with it.
void ApplyTransition(Job& job, const Transition& transition);
void ApplyTransition(Pipeline& pipeline, const Transition& transition);

// Writes the fields a patch names, and no others.
template <typename Record>
void ApplyPatch(Record& record, const JobInfoPatch& patch) {
  if (patch.name) record.name = *patch.name;
  if (patch.description) record.description = *patch.description;
}

}  // namespace valet::core
