#pragma once

#include "valet/ports/job_repository.hpp"

namespace valet::core {

// A pipeline job ended without completing: cancels the jobs after it, then marks the pipeline
// FAILED. In that order, so a client that sees the pipeline FAILED never finds one of its jobs
// still PENDING.
void FailPipelineAfter(JobRepository& repository, const Job& failed_job, TimePoint at);

}  // namespace valet::core
